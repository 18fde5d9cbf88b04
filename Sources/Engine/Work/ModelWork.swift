import Foundation
import ModelKit
import QuantCore

/// The real work of a recipe: a checkpoint, its tokenizer, calibration windows cut from the recipe's text,
/// and the block pipeline over every selected linear. Keeps each layer's Σ so any layer can be solved
/// again (new bits, another method) after the run; a causal LM can be sampled as the run quantizes it.
public final class ModelWork: QuantizationWork {
    public let recipe: Recipe
    public let model: TransformerModel
    public let tokenizer: Tokenizer
    /// Calibration and held-out text.
    public let text: CalibrationSplit
    public let windows: [[Int]]
    /// The per-layer configurations chosen under the recipe's bits/weight budget (recipes with `allocate:`), as
    /// last chosen; the pipeline asks it for each layer's method when the layer's solve begins.
    private let plan: AllocationChoice?
    private let pipeline: QuantizationPipeline
    private var blockRun: BlockRun?
    /// The untouched model samples are compared with: a second forward over the same mapped checkpoint,
    /// opened by the first sample.
    private var reference: TransformerModel?
    /// The linears the recipe selects, in model order.
    private let selected: [LinearLayer]
    /// The reference's continuation of the last request sampled (it never changes, so it is generated once).
    private var referenceText: (prompt: String, tokens: Int, text: String)?
    /// Every layer whose quantized weights the model holds (kept, solved by the run, or an adopted re-solve):
    /// what a QDEC sweep compensates.
    private var quantized: [String: QuantizedLayer<Float>] = [:]

    /// Opens the model (the recipe's, or `modelDirectory` when given) and cuts the calibration windows,
    /// telling `progress` as each step begins. A recipe with `allocate:` measures its allocation here, unless
    /// `measured` (an interrupted or exported run's) was measured with the same candidates on the same layers: then
    /// its budget is the run's, since the workbench may have re-allocated after the recipe's, and the layers it
    /// solved followed that plan.
    public init(recipe: Recipe, modelDirectory: URL? = nil, measured: AllocationPlan? = nil,
                progress: (LoadingProgress) -> Void = { _ in }) throws {
        self.recipe = recipe
        let dir = modelDirectory ?? KnownModel.location(of: recipe.model)
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw RecipeError(line: nil, "no checkpoint at \(dir.path)" + (modelDirectory == nil ? KnownModel.installHint(for: recipe.model) : ""))
        }
        var steps = ["opening the checkpoint", "reading the tokenizer", "loading the calibration text", "cutting calibration windows"]
        let measuring = "measuring error curves and sensitivities for the bit budget"
        // The measurement is a step unless an interrupted run's can be reused (its layers are checked once the model is open).
        let reusable = measured != nil && measured?.candidates == recipe.allocation?.candidates
        if recipe.allocation != nil && !reusable { steps.append(measuring) }
        progress(LoadingProgress(done: 0, total: steps.count, step: steps[0]))
        let checkpoint = try Checkpoint(directory: dir)
        model = try TransformerModel(checkpoint: checkpoint)
        selected = try recipe.pipeline.selection.layers(of: model.linearLayers, blockCount: model.blockCount)
        if let maximum = model.maxSequenceLength, recipe.sequenceLength > maximum {
            throw RecipeError(line: nil, "calibration.sequence_length \(recipe.sequenceLength) is longer than the model's "
                              + "position table: \(checkpoint.directory.lastPathComponent) holds \(maximum) positions")
        }
        progress(LoadingProgress(done: 1, total: steps.count, step: steps[1]))
        tokenizer = try checkpoint.loadTokenizer()
        progress(LoadingProgress(done: 2, total: steps.count, step: steps[2]))
        text = try recipe.calibrationSource.load(seed: recipe.seed)
        progress(LoadingProgress(done: 3, total: steps.count, step: steps[3]))
        let framing: WindowFraming = model.isCausalLM ? .none : try .encoder(tokenizer)
        windows = try CalibrationSampler(text: text.calibration, tokenizer: tokenizer, framing: framing)
            .randomWindows(count: recipe.samples, length: recipe.sequenceLength, seed: recipe.seed)
        if recipe.allocation != nil, var kept = measured, reusable, kept.layers.map(\.name) == selected.map(\.name) {
            try kept.choose(budget: kept.budget)
            plan = AllocationChoice(kept)
        } else if let settings = recipe.allocation {
            let selected = self.selected, windows = self.windows, model = self.model
            if steps.count == 4 { steps.append(measuring) }
            let count = steps.count
            progress(LoadingProgress(done: 4, total: count, step: measuring))
            plan = AllocationChoice(try AllocationPlanner(model: model, windows: windows, layers: selected, settings: settings).plan { done, total, what in
                progress(LoadingProgress(done: 4, total: count, step: "\(measuring): \(done)/\(total) \(what)", part: .init(done: done, total: total)))
            })
        } else {
            plan = nil
        }
        let method = recipe.method, plan = self.plan
        pipeline = QuantizationPipeline(model: model, windows: windows, options: recipe.pipeline, compare: recipe.compare) {
            plan?.method(of: $0.name) ?? method
        }
    }

    public var allocation: AllocationPlan? { plan?.plan }

    public func allocate(budget: Double) throws -> AllocationPlan {
        guard let plan else { throw AllocationUnavailable(model: info.model) }
        return try plan.choose(budget: budget)
    }

    public var info: RunInfo {
        return RunInfo(model: model.checkpoint.directory.lastPathComponent, architecture: model.checkpoint.config.modelType,
                       blocks: model.blockCount,
                       layers: selected.map { LayerInfo(name: $0.name, block: $0.block, rows: $0.outFeatures, cols: $0.inFeatures) },
                       method: recipe.method, pipeline: recipe.pipeline.description,
                       calibration: "\(windows.count) × \(recipe.sequenceLength) tokens of \(text.calibration.sourceDescription), seed \(recipe.seed)",
                       causalLM: model.isCausalLM)
    }

    public func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {
        blockRun = try pipeline.begin(finished: finished, tuned: tuned)
        quantized.merge(finished) { _, kept in kept }
    }

    public func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        guard let blockRun else { return false }
        return try blockRun.step(onEvent: { event in
            if case let .layerFinished(outcome) = event, !outcome.result.cancelled { quantized[outcome.layer.name] = outcome.result.layer }
            if case let .blockTuned(_, layers) = event { quantized.merge(layers) { _, tuned in tuned } }
            onEvent(event)
        }, isCancelled: isCancelled)
    }

    public func solve(layer name: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        guard let layer = model.linearLayers.first(where: { $0.name == name }) else {
            throw LayerUnavailable(layer: name, reason: "the model has no linear layer of that name")
        }
        guard let gram = pipeline.hessians[name] else {
            throw LayerUnavailable(layer: name, reason: recipe.pipeline.boundedMemory
                ? "re-solving needs its Σ, which a bounded-memory run does not keep"
                : "its Σ comes when the run reaches its block")
        }
        return try QuantizationPipeline.solve(layer, model: model, sigma: gram.sigma, tokens: gram.tokens, method: method, control: control, report: { _ in })
    }

    public func adopt(_ outcome: LayerOutcome) throws {
        try model.replaceWeight(outcome.layer.name, with: outcome.dequantized)
        quantized[outcome.layer.name] = outcome.result.layer
    }

    /// QDEC over the layers the model holds quantized, against the untouched reference, with the run's
    /// calibration windows for the thresholds and its held-out text for the metric.
    public func compensationSweep(_ settings: CompensationSettings, isCancelled: () -> Bool,
                                  onProgress: (CompensationProgress) -> Void) throws -> CompensationSweep {
        guard !recipe.pipeline.boundedMemory else {
            throw CompensationUnavailable(reason: "a bounded-memory run puts each block's checkpoint weights back, so its model holds no quantized layers to compensate")
        }
        guard !quantized.isEmpty else { throw CompensationUnavailable.nothingQuantized }
        return try withReference { reference in
            try ModelEvaluation.compensationSweep(reference: reference, quantized: model, layers: quantized, calibrationWindows: windows,
                                                  tokenizer: tokenizer, heldOut: text.evaluation, settings: settings,
                                                  isCancelled: isCancelled, onProgress: onProgress)
        }
    }

    /// Runs `body` with the untouched reference model (loaded once, then kept); afterwards both models drop
    /// their widened block weights, so the run's memory is as it was.
    private func withReference<T>(_ body: (TransformerModel) throws -> T) throws -> T {
        let reference = try self.reference ?? TransformerModel(checkpoint: model.checkpoint)
        self.reference = reference
        defer {
            for block in 0..<model.blockCount {
                model.releaseBlock(block)
                reference.releaseBlock(block)
            }
        }
        return try body(reference)
    }

    /// The model's sample with the layers solved so far against the reference's (cached per prompt). Each
    /// model's widened block weights are dropped afterwards, so sampling leaves the run's memory as it was.
    public func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample {
        guard model.isCausalLM else { throw SampleUnavailable.notCausal(info.model) }
        guard !recipe.pipeline.boundedMemory else {
            throw SampleUnavailable(reason: "a bounded-memory run puts each block's checkpoint weights back, so its model holds no quantized layers to sample")
        }
        func continuation(_ model: TransformerModel) throws -> String {
            try GreedySample.continuation(of: request.prompt, by: model, tokenizer: tokenizer, tokens: request.tokens, isCancelled: isCancelled)
        }
        return try withReference { reference in
            let kept = referenceText.flatMap { $0.prompt == request.prompt && $0.tokens == request.tokens ? $0.text : nil }
            let text = try kept ?? continuation(reference)
            referenceText = (request.prompt, request.tokens, text)
            return GreedySample(prompt: request.prompt, referenceLabel: model.checkpoint.referenceLabel, reference: text,
                                quantized: try continuation(model))
        }
    }
}

/// The allocation a run follows, shared by the work and its pipeline's method lookup: chosen again on the
/// worker between two solves, read there when a layer's solve begins (and by the run before the job starts).
final class AllocationChoice: @unchecked Sendable {
    private let lock = NSLock()
    private var current: AllocationPlan
    private var methods: [String: LayerMethod]

    init(_ plan: AllocationPlan) { (current, methods) = (plan, plan.methods) }

    var plan: AllocationPlan { lock.withLock { current } }

    func method(of layer: String) -> LayerMethod? { lock.withLock { methods[layer] } }

    func choose(budget: Double) throws -> AllocationPlan {
        var next = plan
        try next.choose(budget: budget)
        lock.withLock { (current, methods) = (next, next.methods) }
        return next
    }
}
