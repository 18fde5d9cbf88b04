import QuantCore

/// A QDEC sweep as the job's events tell it: the request, the points done so far, the last progress
/// (evaluations done of total, ETA), and how it ended.
public struct CompensationState: Sendable, Equatable {
    /// Where the sweep is.
    public enum Status: Sendable, Equatable {
        case running
        case finished
        /// Stopped on the user's cancel; the points so far stay.
        case cancelled
        case failed(String)
    }

    public var request: CompensationRequest
    public var status = Status.running
    /// The points done, in the order the sweep ran them (selection-major).
    public var points: [CompensationSweep.Point] = []
    public var progress: CompensationProgress? = nil
    /// The finished sweep (its sample count, reference and metric).
    public var sweep: CompensationSweep? = nil

    public init(request: CompensationRequest) { self.request = request }

    /// Evaluations the sweep runs.
    public var total: Int { CompensationPlan.evaluations(request.settings) }
    /// Evaluations done.
    public var done: Int { progress?.done ?? 0 }

    /// The point of `selection` at budget `kChunk`, once done.
    public func point(_ selection: ChannelSelection, kChunk: Int) -> CompensationSweep.Point? {
        points.last { $0.selection == selection && $0.kChunk == kChunk }
    }

    /// Folds one of the request's events in (a `compensationStarted` begins a new state in `RunState`).
    mutating func apply(_ event: EngineEvent) {
        switch event {
        case let .compensationProgress(r, p) where r == request:
            points.append(p.point)
            progress = p
        case let .compensationFinished(r, sweep) where r == request:
            self.sweep = sweep
            points = sweep.points
            status = .finished
        case let .compensationCancelled(r) where r == request:
            status = .cancelled
        case let .compensationFailed(r, message) where r == request:
            status = .failed(message)
        default: break
        }
    }
}
