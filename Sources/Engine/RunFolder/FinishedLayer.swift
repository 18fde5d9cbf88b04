import QuantCore

/// A layer solved by an earlier (interrupted) run of the same recipe: kept, not solved again.
public struct FinishedLayer: Sendable {
    public var layer: QuantizedLayer<Float>
    public var summary: LayerSummary
    public var sweeps: [SolverProgress]
    /// The solve was cancelled before it converged and its partial result was kept on request (`--keep-partial`).
    public var partial: Bool
    /// Comparison solves of the layer (other methods) that finished before the interrupt, in order.
    public var comparisons: [LayerSummary]

    public init(layer: QuantizedLayer<Float>, summary: LayerSummary, sweeps: [SolverProgress], partial: Bool = false,
                comparisons: [LayerSummary] = []) {
        self.layer = layer
        self.summary = summary
        self.sweeps = sweeps
        self.partial = partial
        self.comparisons = comparisons
    }

    /// The layer of a solve, as a run folder keeps it.
    public init(_ outcome: LayerOutcome) {
        self.init(layer: outcome.result.layer, summary: outcome.summary, sweeps: outcome.result.history, partial: outcome.result.cancelled)
    }
}
