import Foundation
import Engine

/// When a run started and ended, and where its time went. A resumed run counts from the start of its
/// first part and adds up the wall time of every part (the gaps between them left out).
public struct RunTimings: Sendable, Equatable, Codable {
    /// One part of a run (a start or a `--resume`): ISO-8601 start and end, wall-clock seconds.
    public struct Part: Sendable, Equatable, Codable {
        public var started: String
        public var finished: String
        public var seconds: Double
    }

    /// ISO-8601 time the run started (its first part).
    public var started: String
    /// ISO-8601 time the run ended; nil while it runs.
    public var finished: String?
    /// Wall-clock seconds over every part; nil while it runs.
    public var totalSeconds: Double?
    /// Seconds per phase (e.g. `calibration`, `solve`), when the caller measured them.
    public var phaseSeconds: [String: Double]
    /// Seconds the solvers spent on the finished layers.
    public var solverSeconds: Double
    /// The parts of a run that was resumed (nil: it ran in one part).
    public var parts: [Part]?

    /// The timings of a run whose current part began at `started`; `parts` are every part recorded, this
    /// one last (its end is `finished` when given).
    public init(started: Date, finished: Date?, phaseSeconds: [String: Double], solverSeconds: Double, parts: [RunPart] = []) {
        let format = ISO8601DateFormatter()
        var all = parts.isEmpty ? [RunPart(started: started, ended: finished ?? started)] : parts
        if let finished { all[all.count - 1].ended = finished }
        self.started = format.string(from: all[0].started)
        self.finished = finished.map(format.string(from:))
        self.totalSeconds = finished.map { _ in all.reduce(0) { $0 + $1.seconds } }
        self.phaseSeconds = phaseSeconds
        self.solverSeconds = solverSeconds
        self.parts = all.count > 1
            ? all.map { Part(started: format.string(from: $0.started), finished: format.string(from: $0.ended), seconds: $0.seconds) } : nil
    }
}
