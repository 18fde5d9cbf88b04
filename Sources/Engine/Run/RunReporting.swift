import Foundation

/// A run at one moment, as its reports show it.
public struct RunRecord: Sendable {
    public var state: RunState
    public var recipe: Recipe
    public var started: Date
    /// Nil while the run goes on.
    public var finished: Date?
    /// QDEC evaluation at the end of the run (recipes with a `qdec:` section).
    public var compensation: CompensationSweep?
    /// The parts the run ran in, oldest first, this one last (empty: one part, from `started` to `finished`).
    public var parts: [RunPart]

    public init(state: RunState, recipe: Recipe, started: Date, finished: Date?, compensation: CompensationSweep? = nil,
                parts: [RunPart] = []) {
        self.state = state
        self.recipe = recipe
        self.started = started
        self.finished = finished
        self.compensation = compensation
        self.parts = parts
    }
}

/// Writes a run's reports into its folder. Engine renders no reports (the Reports module imports Engine,
/// not the other way round); the executable passes the Reports module's writer in.
public protocol RunReporting: Sendable {
    /// Writes `run` into `folder`: during the run (`final` false) the machine-readable report only, at
    /// the end every format asked for. Returns the files written.
    @discardableResult
    func write(_ run: RunRecord, to folder: URL, final: Bool) throws -> [URL]
}
