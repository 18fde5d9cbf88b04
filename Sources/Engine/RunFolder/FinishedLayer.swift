import QuantCore

/// A layer solved by an earlier (interrupted) run of the same recipe: kept, not solved again.
public struct FinishedLayer: Sendable {
    public var layer: QuantizedLayer<Float>
    public var summary: LayerSummary
    public var sweeps: [SolverProgress]

    public init(layer: QuantizedLayer<Float>, summary: LayerSummary, sweeps: [SolverProgress]) {
        self.layer = layer
        self.summary = summary
        self.sweeps = sweeps
    }
}
