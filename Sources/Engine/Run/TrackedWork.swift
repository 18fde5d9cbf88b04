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
    private let pipelineMethod: LayerMethod
    private let order: [String]
    private let lock = NSLock()
    private var results: [String: Current] = [:]
    /// The method of the last `solve` of each layer, until `adopt` makes it current (worker only).
    private var solving: [String: LayerMethod] = [:]

    /// Wraps `base`, whose pipeline solves every layer with `pipelineMethod`.
    public init(_ base: any QuantizationWork, pipelineMethod: LayerMethod) {
        self.base = base
        self.pipelineMethod = pipelineMethod
        order = base.info.layers.map(\.name)
    }

    /// Every layer's current result, in the run's layer order.
    public var current: [Current] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { results[$0] }
    }

    public var info: RunInfo { base.info }

    public func run(finished: [String: QuantizedLayer<Float>], onEvent: (PipelineEvent) -> Void,
                    isCancelled: @escaping @Sendable () -> Bool) throws {
        try base.run(finished: finished, onEvent: { event in
            if case let .layerFinished(outcome) = event { keep(outcome, method: pipelineMethod) }
            onEvent(event)
        }, isCancelled: isCancelled)
    }

    public func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        solving[layer] = method
        return try base.solve(layer: layer, method: method, control: control)
    }

    public func adopt(_ outcome: LayerOutcome) throws {
        try base.adopt(outcome)
        keep(outcome, method: solving[outcome.layer.name] ?? pipelineMethod)
    }

    private func keep(_ outcome: LayerOutcome, method: LayerMethod) {
        lock.lock(); defer { lock.unlock() }
        results[outcome.layer.name] = Current(layer: FinishedLayer(outcome), method: method)
    }
}
