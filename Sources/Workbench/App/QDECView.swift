import Engine

/// The QDEC view's state (`r`): the sweep's settings, the request last sent to the job, and whether the
/// user cancelled it. The sweep's points and progress are the run's (`RunState.compensation`).
public struct QDECView: Sendable, Equatable {
    /// What ⏎ asks for: the default budgets and selection methods.
    public var settings = CompensationSettings()
    /// The sweep last asked for; nil before the first ⏎.
    public private(set) var request: CompensationRequest? = nil
    /// The user cancelled `request` (the job stops it between two evaluations).
    public private(set) var cancelled = false
    private var lastID = 0

    public init() {}

    /// The sweep the view shows: the one asked for, or the run's latest before any was asked here.
    public func sweep(_ run: RunState) -> CompensationState? {
        guard let state = run.compensation else { return nil }
        return request == nil || state.request == request ? state : nil
    }

    /// The sweep asked for is waiting for the job (not begun yet) or running, and not cancelled.
    public func isActive(_ run: RunState) -> Bool {
        guard request != nil, !cancelled else { return false }
        return sweep(run).map { $0.status == .running } ?? true
    }

    /// A new sweep of `settings` (a new id each time).
    mutating func start() -> CompensationRequest {
        lastID += 1
        let next = CompensationRequest(id: lastID, settings: settings)
        request = next
        cancelled = false
        return next
    }

    mutating func cancel() { cancelled = true }
}
