import ModelKit
import QuantCore

/// A whole-model run of a `QuantizationPipeline`, taken one block at a time: `step` captures a block's
/// inputs, accumulates Σ, solves its selected layers and produces the next block's inputs, then returns,
/// so the caller can do other work (re-solves, comparisons) between blocks.
///
/// ```swift
/// let run = try pipeline.begin()
/// while try run.step(onEvent: show, isCancelled: { false }) {}
/// ```
public final class BlockRun {
    private let pipeline: QuantizationPipeline
    private let selected: [LinearLayer]
    private let pending: [LinearLayer]
    /// The quantized layers of the blocks still to tune: kept from a resumed run, then added as they are solved.
    private var quantized: [String: QuantizedLayer<Float>]
    /// Blocks whose fine-tuning is still to do (empty without tuning).
    private let untuned: Set<Int>
    private var hidden: [CalibrationBatch]
    private var block = 0
    private let lastBlock: Int?
    /// Layers solved so far.
    public private(set) var solved = 0
    /// A layer's solve was cancelled: the run stops there.
    public private(set) var stopped = false

    init(pipeline: QuantizationPipeline, selected: [LinearLayer], pending: [LinearLayer], finished: [String: QuantizedLayer<Float>],
         untuned: Set<Int>, hidden: [CalibrationBatch]) {
        self.pipeline = pipeline
        self.selected = selected
        self.pending = pending
        self.untuned = untuned
        quantized = finished.filter { name, _ in selected.contains { $0.name == name && untuned.contains($0.block) } }
        self.hidden = hidden
        lastBlock = hidden.isEmpty ? nil : [pending.last?.block, untuned.max()].compactMap { $0 }.max()
    }

    /// Whether a block is left to run.
    public var hasBlocksLeft: Bool {
        guard let lastBlock, !stopped else { return false }
        return block <= lastBlock
    }

    /// Runs the next block; returns whether another one is left. A cancelled check before a layer, or a
    /// solver that stops early, ends the run.
    @discardableResult
    public func step(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        guard hasBlocksLeft else { return false }
        if isCancelled() { stopped = true; return false }
        let model = pipeline.model
        let targets = pending.filter { $0.block == block }
        var next: [CalibrationBatch]? = nil
        if !targets.isEmpty {
            next = try solveBlock(targets, onEvent: onEvent, isCancelled: isCancelled)
            if stopped { return false }
        }
        if untuned.contains(block) {
            try tune(fullPrecision: next, onEvent: onEvent, isCancelled: isCancelled)
            if stopped { return false }
        }
        // A block without targets only carries the windows on; a cancel stops it between two batches too.
        if next == nil {
            var carried: [CalibrationBatch] = []
            for batch in hidden {
                if isCancelled() { stopped = true; return false }
                carried.append(try batch.through(block, of: model))
            }
            next = carried
        }
        hidden = next ?? hidden
        if pipeline.options.boundedMemory {
            for layer in selected where layer.block == block { try model.restoreWeight(layer.name) }
            let names = model.vectorNames(ofBlock: block)
            for name in Array(names.norms.values) + Array(names.biases.values) { model.restoreVector(name) }
        }
        model.releaseBlock(block)
        block += 1
        return hasBlocksLeft
    }

    /// Solves the block's targets stage by stage; returns the block's full-precision outputs when the
    /// pipeline takes the next inputs from those.
    private func solveBlock(_ targets: [LinearLayer], onEvent: (PipelineEvent) -> Void,
                            isCancelled: @escaping @Sendable () -> Bool) throws -> [CalibrationBatch]? {
        let options = pipeline.options
        let groups = try pipeline.inputGroups(block, hidden[0])
        let targetNames = Set(targets.map(\.name))
        let ordered = groups.members.map { $0.filter(targetNames.contains) }.filter { !$0.isEmpty }
        let stages = options.mode == .blockSequential && options.trueSequential ? ordered : [ordered.flatMap { $0 }]
        var next: [CalibrationBatch]? = nil
        for (index, stage) in stages.enumerated() {
            let keepOutputs = options.mode == .fromFullPrecision && next == nil
            guard let collected = try pipeline.collect(block, hidden, layers: Set(stage), groups: groups, keepOutputs: keepOutputs,
                                                       pass: (index + 1, of: stages.count), isCancelled: isCancelled,
                                                       onEvent: onEvent) else {
                stopped = true
                return next
            }
            var (grams, outputs) = collected
            if keepOutputs { next = outputs }
            for (position, name) in stage.enumerated() {
                guard let g = groups.index[name], let layer = targets.first(where: { $0.name == name }), let shared = grams[g] else { continue }
                if isCancelled() { stopped = true; return next }
                onEvent(.layerStarted(layer: layer, method: pipeline.method(layer), index: solved, total: pending.count))
                // The group's last layer takes Σ over (bounded memory: no copy, and the accumulator goes).
                let lastOfGroup = !stage[(position + 1)...].contains { groups.index[$0] == g }
                let gram = lastOfGroup ? (grams.removeValue(forKey: g) ?? shared) : shared
                var comparisons: [LayerOutcome] = []
                let outcome = try pipeline.solve(layer, gram: gram, isCancelled: isCancelled,
                                                 report: { onEvent(.solverProgress(layer: layer, progress: $0)) },
                                                 compareReport: { onEvent(.comparisonProgress(layer: layer, method: $0, progress: $1)) },
                                                 compared: { comparisons.append($0) })
                if outcome.result.cancelled {
                    stopped = true
                    onEvent(.layerCancelled(outcome))
                    return next
                }
                try pipeline.model.replaceWeight(layer.name, with: outcome.dequantized)
                if untuned.contains(block) { quantized[layer.name] = outcome.result.layer }
                solved += 1
                onEvent(.layerFinished(outcome))
                comparisons.forEach { onEvent(.comparisonFinished($0)) }
            }
        }
        return next
    }

    /// Fine-tunes the block on its inputs against the full-precision block's outputs (`fullPrecision` when the
    /// pipeline has them already), then puts what trained into the model. A cancel keeps the best so far and
    /// stops the run.
    private func tune(fullPrecision: [CalibrationBatch]?, onEvent: (PipelineEvent) -> Void,
                      isCancelled: @escaping @Sendable () -> Bool) throws {
        guard let options = pipeline.options.tuning else { return }
        let model = pipeline.model
        let layers = quantized.filter { name, _ in selected.contains { $0.name == name && $0.block == block } }
        let targets = try fullPrecision ?? fullPrecisionOutputs()
        let result = try BlockTuner(model: model, block: block, options: options)
            .run(inputs: hidden, targets: targets, layers: layers, onProgress: { onEvent(.tuningProgress($0)) }, isCancelled: isCancelled)
        let changed = result.layers.filter { name, layer in layers[name] != layer }
        for (name, layer) in changed { try model.replaceWeight(name, with: layer.dequantized()) }
        for (name, values) in result.vectors { try model.replaceVector(name, with: values) }
        for name in layers.keys { quantized[name] = nil }
        if result.summary.stop == .cancelled { stopped = true }
        onEvent(.blockTuned(TunedBlock(summary: result.summary, vectors: result.vectors), layers: changed))
    }

    /// The full-precision block's outputs on its inputs: the checkpoint's weights in place of the quantized ones.
    private func fullPrecisionOutputs() throws -> [CalibrationBatch] {
        let model = pipeline.model
        let parameters = try model.checkpointParameters(ofBlock: block)
        return hidden.map { batch in
            CalibrationBatch(hidden: model.block(block, batch.hidden, sequenceLength: batch.sequenceLength, parameters: parameters),
                             sequenceLength: batch.sequenceLength)
        }
    }
}
