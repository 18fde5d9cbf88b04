import Foundation
import QuantCore

/// A work that remembers the current result of every layer (the pipeline's, then any re-solve the user
/// adopted) with the method it was solved with, so the workbench can export everything the run holds
/// and a run folder can be rebuilt from it. Every other call goes to the wrapped work.
public final class TrackedWork: QuantizationWork, @unchecked Sendable {
    /// A layer's current result.
    public struct Current: Sendable {
        public var layer: FinishedLayer
        public var method: LayerMethod
    }

    private let base: any QuantizationWork
    private let order: [String]
    private let lock = NSLock()
    private var results: [String: Current] = [:]
    private var tuned: [Int: TunedBlock] = [:]

    /// Wraps `base`.
    public init(_ base: any QuantizationWork) {
        self.base = base
        order = base.info.layers.map(\.name)
    }

    /// Every layer's current result, in the run's layer order.
    public var current: [Current] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { results[$0] }
    }

    /// The blocks fine-tuned so far (a resumed run's included), by block index.
    public var tunedBlocks: [Int: TunedBlock] {
        lock.lock(); defer { lock.unlock() }
        return tuned
    }

    /// The trained norms and biases of every tuned block, by full tensor name.
    public var tunedTensors: [String: [Float]] { Dictionary(tunedBlocks.values.flatMap(\.vectors), uniquingKeysWith: { $1 }) }

    public var info: RunInfo { base.info }

    public func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {
        try base.begin(finished: finished, tuned: tuned)
        lock.withLock { self.tuned = tuned }
    }

    public func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        try base.runNextBlock(onEvent: { event in
            if case let .layerFinished(outcome) = event { keep(outcome) }
            if case let .blockTuned(block, layers) = event { keep(block, layers: layers) }
            onEvent(event)
        }, isCancelled: isCancelled)
    }

    public func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        try base.solve(layer: layer, method: method, control: control)
    }

    public func adopt(_ outcome: LayerOutcome) throws {
        try base.adopt(outcome)
        keep(outcome)
    }

    public func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample {
        try base.sample(request, isCancelled: isCancelled)
    }

    public func compensationSweep(_ settings: CompensationSettings, isCancelled: () -> Bool,
                                  onProgress: (CompensationProgress) -> Void) throws -> CompensationSweep {
        try base.compensationSweep(settings, isCancelled: isCancelled, onProgress: onProgress)
    }

    public var allocation: AllocationPlan? { base.allocation }

    public func allocate(budget: Double) throws -> AllocationPlan { try base.allocate(budget: budget) }

    private func keep(_ outcome: LayerOutcome) {
        lock.lock(); defer { lock.unlock() }
        results[outcome.layer.name] = Current(layer: FinishedLayer(outcome), method: outcome.layerMethod)
    }

    private func keep(_ block: TunedBlock, layers: [String: QuantizedLayer<Float>]) {
        lock.lock(); defer { lock.unlock() }
        for (name, layer) in layers { results[name]?.layer.layer = layer }
        tuned[block.summary.block] = block
    }
}
