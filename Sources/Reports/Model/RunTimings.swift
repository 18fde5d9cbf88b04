import Foundation

/// When a run started and ended, and where its time went.
public struct RunTimings: Sendable, Equatable, Codable {
    /// ISO-8601 time the run started.
    public var started: String
    /// ISO-8601 time the run ended; nil while it runs.
    public var finished: String?
    /// Wall-clock seconds from start to end; nil while it runs.
    public var totalSeconds: Double?
    /// Seconds per phase (e.g. `calibration`, `solve`), when the caller measured them.
    public var phaseSeconds: [String: Double]
    /// Seconds the solvers spent on the finished layers.
    public var solverSeconds: Double

    public init(started: Date, finished: Date?, phaseSeconds: [String: Double], solverSeconds: Double) {
        let format = ISO8601DateFormatter()
        self.started = format.string(from: started)
        self.finished = finished.map(format.string(from:))
        self.totalSeconds = finished.map { $0.timeIntervalSince(started) }
        self.phaseSeconds = phaseSeconds
        self.solverSeconds = solverSeconds
    }
}
