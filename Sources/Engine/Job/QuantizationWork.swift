import ModelKit
import QuantCore

/// The work a `Job` drives: a whole-model pipeline over real calibration data (`ModelWork`), or any
/// other source of layer problems (tests use synthetic ones). Calls are synchronous and made from the
/// job's worker thread; the job does other work (re-solves, comparisons) between two `runNextBlock`s.
public protocol QuantizationWork: AnyObject {
    /// What runs, announced in `runStarted`.
    var info: RunInfo { get }
    /// Prepares the run; the selected layers in `finished` (an earlier, interrupted run) are not solved again,
    /// and the blocks in `tuned` are not fine-tuned again (their trained norms and biases go into the model).
    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws
    /// Runs the next block of the run, reporting through `onEvent`; returns whether a block is left.
    /// A cancelled solve ends the run (`layerCancelled`, then `false`).
    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool
    /// Solves one already-calibrated layer again with another method; throws `LayerUnavailable` when the
    /// layer cannot be solved (yet).
    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome
    /// Makes a re-solved layer the one the model uses from now on.
    func adopt(_ outcome: LayerOutcome) throws
    /// The greedy continuations of the request's prompt by the reference model and by the model with the
    /// layers solved so far. Called on the job's worker between two solves, so no weight changes under it;
    /// throws `CancellationError` once `isCancelled` says so, `SampleUnavailable` when there is no causal LM.
    func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample
    /// QDEC over the layers quantized so far: the end-to-end metric at every budget and selection of
    /// `settings`, each point told to `onProgress`; a sweep stopped by `isCancelled` returns the points so far.
    /// Called on the job's worker between two solves; throws `CompensationUnavailable` when it cannot run.
    func compensationSweep(_ settings: CompensationSettings, isCancelled: () -> Bool,
                           onProgress: (CompensationProgress) -> Void) throws -> CompensationSweep
    /// The per-layer configurations chosen under the recipe's bits/weight budget; nil without `allocate:`.
    var allocation: AllocationPlan? { get }
    /// Chooses again under `budget` on the same measurements; the layers solved from now on take the new choice.
    /// Called on the job's worker between two solves; throws `AllocationUnavailable` without an allocation.
    func allocate(budget: Double) throws -> AllocationPlan
}

extension QuantizationWork {
    public func adopt(_ outcome: LayerOutcome) throws {}

    /// A work without a language model (synthetic layer problems) cannot be sampled.
    public func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample {
        throw SampleUnavailable.notCausal(info.model)
    }

    public var allocation: AllocationPlan? { nil }

    public func allocate(budget: Double) throws -> AllocationPlan { throw AllocationUnavailable(model: info.model) }

    /// A work without a model (synthetic layer problems) has nothing to compensate.
    public func compensationSweep(_ settings: CompensationSettings, isCancelled: () -> Bool,
                                  onProgress: (CompensationProgress) -> Void) throws -> CompensationSweep {
        throw CompensationUnavailable(reason: "QDEC needs a model to compensate, and \(info.model) has none")
    }
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

/// Why the model of a run cannot be sampled: it is not a causal LM, or the run does not keep its quantized weights.
public struct SampleUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    /// The reason for a model without a language-model head (an encoder).
    public static func notCausal(_ model: String) -> SampleUnavailable {
        SampleUnavailable(reason: "sampling needs a causal LM, and \(model) is not one")
    }

    public var description: String { reason }
}

/// Why a run cannot be allocated again: it was not measured for a bits/weight budget (no `allocate:` in its recipe).
public struct AllocationUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var model: String

    public init(model: String) { self.model = model }

    public var description: String { "this run of \(model) has no bit allocation: its recipe has no allocate: section" }
}
