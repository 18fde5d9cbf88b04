import Engine

/// The headline numbers of a run, over its finished layers.
public struct RunSummary: Sendable, Equatable, Codable {
    public var finishedLayers: Int
    /// Every layer the run selected.
    public var totalLayers: Int
    public var failedLayers: Int
    public var medianRelErr: Double?
    public var worstRelErr: Double?
    /// The layer with the worst rel_err.
    public var worstLayer: String?
    /// Parameter-weighted mean bits per weight.
    public var meanBitsPerWeight: Double?
    public var totalOutliers: Int

    /// The summary of a run state.
    public init(state: RunState) {
        let done = state.finished
        finishedLayers = done.count
        totalLayers = state.layers.count
        failedLayers = state.layers.filter { $0.phase.name == "failed" }.count
        let stats = state.relErrStats
        medianRelErr = stats?.median
        worstRelErr = stats?.worst
        worstLayer = done.max { $0.relErr < $1.relErr }?.name
        meanBitsPerWeight = state.meanBitsPerWeight
        totalOutliers = done.reduce(0) { $0 + $1.outliers }
    }
}
