import QuantCore

/// Quantizes a model's linear layers on real calibration inputs, block by block (DESIGN.md §2):
/// capture the inputs of block i, accumulate Σ = XᵀX (fp64) for its linears, solve them, put the
/// quantized weights into the model, and produce the inputs of block i+1 from the quantized block
/// (block-sequential) or from the full-precision one. The model keeps the quantized weights afterwards
/// (fake-quant), ready for evaluation.
public final class QuantizationPipeline {
    public let model: TransformerModel
    public let windows: [[Int]]
    public let options: PipelineOptions
    private let method: (LinearLayer) -> LayerMethod
    /// Σ of every solved layer (fp64), kept for re-solves and comparisons after the run.
    public private(set) var hessians: [String: GramAccumulator] = [:]

    /// `method` picks the solver settings per layer (the same for all, or retuned per layer).
    public init(model: TransformerModel, windows: [[Int]], options: PipelineOptions, method: @escaping (LinearLayer) -> LayerMethod) {
        self.model = model
        self.windows = windows
        self.options = options
        self.method = method
    }

    /// Runs every block; returns the outcomes of the selected layers in model order. Layers in `finished`
    /// (a resumed run) are not solved again: their quantized weights go into the model as they are.
    public func run(finished: [String: Matrix<Float>] = [:], onEvent: (PipelineEvent) -> Void = { _ in },
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> [LayerOutcome] {
        let selected = model.linearLayers.filter(options.selection.contains)
        for (name, weight) in finished { try model.replaceWeight(name, with: weight) }
        var hidden = windows.map { model.embed($0) }
        var outcomes: [LayerOutcome] = []
        for block in 0..<model.blockCount {
            if isCancelled() { break }
            let targets = selected.filter { $0.block == block && finished[$0.name] == nil }
            let remaining = selected.filter { finished[$0.name] == nil }
            if remaining.last.map({ block > $0.block }) ?? true { break }     // nothing left to solve downstream
            guard !targets.isEmpty else {             // nothing to solve here: just carry the inputs on
                hidden = hidden.map { model.block(block, $0) }
                model.releaseBlock(block)
                continue
            }
            // Pass 1: Σ for every target on the current inputs; also the groups of linears sharing an input,
            // and (from-FP mode) the full-precision outputs.
            var grams: [String: GramAccumulator] = [:]
            var failure: Error? = nil
            var groups: [[String]] = []
            var fpOutputs: [Matrix<Float>] = []
            let targetNames = Set(targets.map(\.name))
            for (j, x) in hidden.enumerated() {
                var lastInput: Matrix<Float>? = nil
                var order: [[String]] = []
                let out = model.block(block, x) { layer, input in
                    if input != lastInput || order.isEmpty { order.append([]) }
                    order[order.count - 1].append(layer.name)
                    lastInput = input
                    guard targetNames.contains(layer.name) else { return }
                    do { try grams[layer.name, default: GramAccumulator(features: input.cols)].add(input) } catch { failure = failure ?? error }
                }
                if let failure { throw failure }
                if j == 0 { groups = order.map { $0.filter(targetNames.contains) }.filter { !$0.isEmpty } }
                if options.mode == .fromFullPrecision { fpOutputs.append(out) }
                onEvent(.calibrating(block: block, done: j + 1, total: hidden.count))
            }
            let sequentialGroups = options.mode == .blockSequential && options.trueSequential ? groups : [groups.flatMap { $0 }]
            for (g, names) in sequentialGroups.enumerated() {
                if g > 0 {
                    grams = [:]
                    let wanted = Set(names)
                    for (j, x) in hidden.enumerated() {
                        _ = model.block(block, x) { layer, input in
                            guard wanted.contains(layer.name) else { return }
                            do { try grams[layer.name, default: GramAccumulator(features: input.cols)].add(input) } catch { failure = failure ?? error }
                        }
                        if let failure { throw failure }
                        onEvent(.calibrating(block: block, done: j + 1, total: hidden.count))
                    }
                }
                for name in names {
                    guard let layer = targets.first(where: { $0.name == name }), let gram = grams[name] else { continue }
                    if isCancelled() { return outcomes }
                    onEvent(.layerStarted(layer: layer, method: method(layer).summary, index: outcomes.count, total: selected.count))
                    let outcome = try solve(layer, gram: gram, isCancelled: isCancelled) { onEvent(.solverProgress(layer: layer, progress: $0)) }
                    try model.replaceWeight(layer.name, with: outcome.dequantized)
                    outcomes.append(outcome)
                    onEvent(.layerFinished(outcome))
                }
            }
            hidden = options.mode == .fromFullPrecision ? fpOutputs : hidden.map { model.block(block, $0) }
            model.releaseBlock(block)
        }
        return outcomes
    }

    private func solve(_ layer: LinearLayer, gram: GramAccumulator, isCancelled: @escaping @Sendable () -> Bool,
                       report: (SolverProgress) -> Void) throws -> LayerOutcome {
        hessians[layer.name] = gram
        return try Self.solve(layer, model: model, gram: gram, method: method(layer), control: SolverControl(isCancelled: isCancelled), report: report)
    }

    /// Solves one layer on a Σ already collected: the original weight from the checkpoint, `method`'s
    /// solver, and the rel_err of the deployed weight.
    public static func solve(_ layer: LinearLayer, model: TransformerModel, gram: GramAccumulator, method: LayerMethod,
                             control: SolverControl, report: (SolverProgress) -> Void) throws -> LayerOutcome {
        let weights = try model.checkpoint.loadLinearWeight(layer.name)
        let problem = try LayerProblem(name: layer.name, weights: weights, hessian: gram.sigma)
        let result = try withoutActuallyEscaping(report) { report in
            let box = ReportBox(report)
            return try method.solve(problem, control: SolverControl(report: { p in control.report(p); box.call(p) }, isCancelled: control.isCancelled))
        }
        let deq = result.layer.dequantized()
        // The exact fp64 objective costs out·in² fp64 multiply-adds; past ~2·10¹⁰ (7B-sized MLP layers) the
        // solver's own final report (fp32 products, fp64 sums) stands in for it.
        let exact = Double(weights.rows) * Double(weights.cols * weights.cols) <= 2e10 || result.cancelled
        let err = exact || result.history.isEmpty
            ? Objective.relativeError(weights: weights, quantized: deq, hessian: problem.hessian)
            : result.history[result.history.count - 1].relativeError
        return LayerOutcome(layer: layer, method: method.summary, result: result, relativeError: err, tokens: gram.tokens, dequantized: deq)
    }
}

/// Carries a non-Sendable callback into the solver's `@Sendable` progress sink; the solver calls it
/// synchronously on the calling thread.
private final class ReportBox: @unchecked Sendable {
    let call: (SolverProgress) -> Void
    init(_ call: @escaping (SolverProgress) -> Void) { self.call = call }
}
