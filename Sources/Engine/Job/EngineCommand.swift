import QuantCore

/// What a consumer (the workbench, a signal handler) can tell a running job.
public enum EngineCommand: Sendable, Equatable {
    /// Hold the solver between two sweeps until `resume`.
    case pause
    case resume
    /// Stop soon; finished layers are kept and the run can be resumed.
    case cancel
    /// Solve `layer` again with `method` (new bits, outlier budget, sweeps…); the new result replaces the
    /// layer's and the old one stays as a comparison.
    case resolve(layer: String, method: LayerMethod)
    /// Solve `layer` with `method` for comparison only; the layer keeps its result.
    case compare(layer: String, method: LayerMethod)
}
