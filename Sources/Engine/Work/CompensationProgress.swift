import Foundation
import QuantCore

/// A QDEC sweep's progress: the point just finished, how many evaluations of the sweep are done, and the
/// time they took (the ETA follows from it). Budget 0 (no compensation) is one evaluation for every
/// selection method, so `total` counts evaluations, not points.
public struct CompensationProgress: Sendable, Equatable {
    public var point: CompensationSweep.Point
    /// Evaluations finished, of `total`.
    public var done: Int
    public var total: Int
    /// Seconds the point took (0 for a budget-0 point shared with an earlier one).
    public var seconds: Double
    /// A budget-0 point taken from the first selection's, not evaluated again.
    public var shared: Bool
    /// Seconds since the first evaluation began.
    public var elapsed: Double

    public init(point: CompensationSweep.Point, done: Int, total: Int, seconds: Double, elapsed: Double, shared: Bool = false) {
        self.point = point
        self.shared = shared
        self.done = done
        self.total = total
        self.seconds = seconds
        self.elapsed = elapsed
    }

    /// Seconds left at the mean pace so far (nil before the first evaluation).
    public var eta: Double? { done > 0 ? elapsed / Double(done) * Double(total - done) : nil }
}

/// The order of a sweep's evaluations: per selection method, every budget; budget 0 is the quantized model
/// without compensation, the same for every selection, so it is evaluated once and its numbers shared.
public enum CompensationPlan {
    /// Evaluations a sweep with `settings` runs.
    public static func evaluations(_ settings: CompensationSettings) -> Int {
        let compensated = settings.kChunks.filter { $0 > 0 }.count
        return compensated * settings.selections.count + (settings.kChunks.contains(0) ? 1 : 0)
    }

    /// Every point of the sweep, selection-major in `settings` order, from `evaluate` (called once per
    /// evaluation); `progress` hears each point as it is finished, `isCancelled` is asked before each
    /// evaluation (a cancelled sweep returns the points so far).
    public static func run(_ settings: CompensationSettings, isCancelled: () -> Bool = { false },
                           evaluate: (_ kChunk: Int, _ selection: ChannelSelection) throws -> CompensationSweep.Point,
                           progress: (CompensationProgress) -> Void) rethrows -> [CompensationSweep.Point] {
        let total = evaluations(settings)
        let start = Date()
        var points: [CompensationSweep.Point] = []
        var uncompensated: CompensationSweep.Point? = nil
        var done = 0
        for selection in settings.selections {
            for k in settings.kChunks {
                if k == 0, var shared = uncompensated {
                    shared.selection = selection
                    points.append(shared)
                    progress(CompensationProgress(point: shared, done: done, total: total, seconds: 0, elapsed: Date().timeIntervalSince(start),
                                                 shared: true))
                    continue
                }
                if isCancelled() { return points }
                let began = Date()
                let point = try evaluate(k, selection)
                if k == 0 { uncompensated = point }
                done += 1
                points.append(point)
                progress(CompensationProgress(point: point, done: done, total: total, seconds: Date().timeIntervalSince(began),
                                              elapsed: Date().timeIntervalSince(start)))
            }
        }
        return points
    }
}
