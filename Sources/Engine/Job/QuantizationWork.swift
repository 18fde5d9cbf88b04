import ModelKit
import QuantCore

/// The work a `Job` drives: a whole-model pipeline over real calibration data (`ModelWork`), or any
/// other source of layer problems (tests use synthetic ones). Calls are synchronous and made from the
/// job's worker thread; the job does other work (re-solves, comparisons) between two `runNextBlock`s.
public protocol QuantizationWork: AnyObject {
    /// What runs, announced in `runStarted`.
    var info: RunInfo { get }
    /// Prepares the run; the selected layers in `finished` (an earlier, interrupted run) are not solved again.
    func begin(finished: [String: QuantizedLayer<Float>]) throws
    /// Runs the next block of the run, reporting through `onEvent`; returns whether a block is left.
    /// A cancelled solve ends the run (`layerCancelled`, then `false`).
    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool
    /// Solves one already-calibrated layer again with another method; throws `LayerUnavailable` when the
    /// layer cannot be solved (yet).
    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome
    /// Makes a re-solved layer the one the model uses from now on.
    func adopt(_ outcome: LayerOutcome) throws
}

extension QuantizationWork {
    public func adopt(_ outcome: LayerOutcome) throws {}
}

/// A layer that cannot be solved on its own now, and why (its block has not run, its Σ was not kept).
/// Not a failure of the layer: the workbench tells the user and leaves the layer's state alone.
public struct LayerUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var layer: String
    public var reason: String

    public init(layer: String, reason: String) {
        self.layer = layer
        self.reason = reason
    }

    public var description: String { "\(layer) cannot be solved yet: \(reason)" }
}
