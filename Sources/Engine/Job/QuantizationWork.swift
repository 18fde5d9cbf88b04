import ModelKit
import QuantCore

/// The work a `Job` drives: a whole-model pipeline over real calibration data (`ModelWork`), or any
/// other source of layer problems (tests use synthetic ones). Calls are synchronous and made from the
/// job's worker task.
public protocol QuantizationWork: AnyObject {
    /// What runs, announced in `runStarted`.
    var info: RunInfo { get }
    /// Solves every selected layer not in `finished`, in model order, reporting each through `onEvent`.
    func run(finished: [String: QuantizedLayer<Float>], onEvent: (PipelineEvent) -> Void,
             isCancelled: @escaping @Sendable () -> Bool) throws
    /// Solves one already-calibrated layer again with another method.
    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome
    /// Makes a re-solved layer the one the model uses from now on.
    func adopt(_ outcome: LayerOutcome) throws
}

extension QuantizationWork {
    public func adopt(_ outcome: LayerOutcome) throws {}
}
