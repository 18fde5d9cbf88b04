import ModelKit
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
    let method: (LinearLayer) -> LayerMethod
    /// Methods every solved layer is also solved with, right after its own solve and on the same Σ (a
    /// recipe's `compare`), so an interrupted run never leaves a finished layer without them.
    public let compare: [LayerMethod]
    /// Σ of every solved layer (fp64), kept for re-solves and comparisons after the run.
    public private(set) var hessians: [String: GramAccumulator] = [:]

    /// `method` picks the solver settings per layer (the same for all, or retuned per layer).
    public init(model: TransformerModel, windows: [[Int]], options: PipelineOptions, compare: [LayerMethod] = [],
                method: @escaping (LinearLayer) -> LayerMethod) {
        self.model = model
        self.windows = windows
        self.options = options
        self.compare = compare
        self.method = method
    }

    /// Starts a run: layers in `finished` (a resumed run) are not solved again, their quantized weights go
    /// into the model as they are, and so do the norms and biases of the blocks in `tuned`, which are not
    /// fine-tuned again; the calibration windows are embedded for block 0.
    public func begin(finished: [String: QuantizedLayer<Float>] = [:], tuned: [Int: TunedBlock] = [:]) throws -> BlockRun {
        let selected = try options.selection.layers(of: model.linearLayers, blockCount: model.blockCount)
        let pending = selected.filter { finished[$0.name] == nil }
        for (name, layer) in finished { try model.replaceWeight(name, with: layer.dequantized()) }
        for (name, values) in tuned.values.flatMap(\.vectors) { try model.replaceVector(name, with: values) }
        // A block whose layers were all solved but not tuned, or whose tuning was cancelled, still has its tuning to do
        // (a cancelled one goes on from the values it kept).
        let complete = tuned.filter(\.value.summary.completed).keys
        let untuned = options.tuning == nil ? [] : Set(selected.map(\.block)).subtracting(complete)
        let hidden = pending.isEmpty && untuned.isEmpty ? [] : try CalibrationBatch.batches(of: windows, model: model)
        return BlockRun(pipeline: self, selected: selected, pending: pending, finished: finished, untuned: untuned, hidden: hidden)
    }

    /// Runs every block and returns how many layers it solved; each outcome goes out through `onEvent`
    /// (nothing is kept here, so a large model is never held whole).
    @discardableResult
    public func run(finished: [String: QuantizedLayer<Float>] = [:], tuned: [Int: TunedBlock] = [:], onEvent: (PipelineEvent) -> Void = { _ in },
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> Int {
        let run = try begin(finished: finished, tuned: tuned)
        while try run.step(onEvent: onEvent, isCancelled: isCancelled) {}
        return run.solved
    }

    /// Which linears of a block read the same input (q/k/v, gate/up), in execution order, from one pass.
    func inputGroups(_ block: Int, _ x: CalibrationBatch) throws(ForwardError) -> (members: [[String]], index: [String: Int]) {
        var members: [[String]] = []
        var last: Matrix<Float>? = nil
        _ = try model.block(block, x.hidden, sequenceLength: x.sequenceLength) { layer, input in
            if members.isEmpty || input != last { members.append([]) }
            members[members.count - 1].append(layer.name)
            last = input
        }
        var index: [String: Int] = [:]
        for (g, names) in members.enumerated() { for n in names { index[n] = g } }
        return (members, index)
    }

    /// Σ over every window for the input groups of `layers` (one accumulator per shared input), and the
    /// block's outputs when asked; nil when `isCancelled` says so, which it is asked before every batch
    /// of windows (a pass stops within one batch, at most `CalibrationBatch.maxTokens` tokens, of a cancel).
    func collect(_ block: Int, _ hidden: [CalibrationBatch], layers: Set<String>, groups: (members: [[String]], index: [String: Int]),
                         keepOutputs: Bool, pass: (Int, of: Int) = (1, 1), isCancelled: () -> Bool = { false },
                         onEvent: (PipelineEvent) -> Void) throws -> ([Int: GramAccumulator], [CalibrationBatch])? {
        let wanted = Set(layers.compactMap { groups.index[$0] })
        guard keepOutputs || !wanted.isEmpty else { return ([:], []) }
        var grams: [Int: GramAccumulator] = [:]
        var outputs: [CalibrationBatch] = []
        var failure: Error? = nil
        var done = 0
        // Without outputs, a pass ends at the first reader of the last wanted input.
        let stop = keepOutputs ? nil : wanted.max().map { groups.members[$0][0] }
        for x in hidden {
            if isCancelled() { return nil }
            var fed = Set<Int>()
            let accumulate = { (layer: LinearLayer, input: Matrix<Float>) in
                guard let g = groups.index[layer.name], wanted.contains(g), fed.insert(g).inserted else { return }
                do { try grams[g, default: GramAccumulator(features: input.cols)].add(input) } catch {
                    failure = failure ?? (error as? GramAccumulator.BatchError).map { CalibrationInputError(block: block, layer: layer.name, fault: $0) } ?? error
                }
            }
            if let stop {
                try model.observeInputs(block, x.hidden, sequenceLength: x.sequenceLength, through: stop, observe: accumulate)
            } else {
                outputs.append(try x.through(block, of: model, observe: accumulate))
            }
            if let failure { throw failure }
            done += x.windows
            onEvent(.calibrating(CalibrationProgress(block: block, pass: pass.0, passes: pass.of, done: done, total: windows.count)))
        }
        return (grams, outputs)
    }

    func solve(_ layer: LinearLayer, gram: consuming GramAccumulator, isCancelled: @escaping @Sendable () -> Bool,
                       report: (SolverProgress) -> Void, compareReport: (LayerMethod, SolverProgress) -> Void = { _, _ in },
                       compared: (LayerOutcome) -> Void) throws -> LayerOutcome {
        let tokens = gram.tokens
        let sigma: Matrix<Double>
        if options.boundedMemory {
            sigma = gram.takeSigma()
        } else {
            hessians[layer.name] = gram
            sigma = gram.sigma
        }
        let control = SolverControl(isCancelled: isCancelled)
        let outcome = try Self.solve(layer, model: model, sigma: sigma, tokens: tokens, method: method(layer), control: control, report: report)
        guard !outcome.result.cancelled else { return outcome }
        for other in compare {
            let comparison = try Self.solve(layer, model: model, sigma: sigma, tokens: tokens, method: other, control: control,
                                            report: { compareReport(other, $0) })
            if comparison.result.cancelled { break }
            compared(comparison)
        }
        return outcome
    }

    /// Solves one layer on a Σ already collected (over `tokens` calibration tokens): the original weight
    /// from the checkpoint, `method`'s solver, and the rel_err of the deployed weight.
    public static func solve(_ layer: LinearLayer, model: TransformerModel, sigma: Matrix<Double>, tokens: Int, method: LayerMethod,
                             control: SolverControl, report: (SolverProgress) -> Void) throws -> LayerOutcome {
        let weights = try model.checkpoint.loadLinearWeight(layer.name)
        let problem = try LayerProblem(name: layer.name, weights: weights, hessian: sigma)
        let result = try withoutActuallyEscaping(report) { report in
            let box = ReportBox(report)
            return try method.solve(problem, control: SolverControl(report: { p in control.report(p); box.call(p) }, isCancelled: control.isCancelled))
        }
        let deq = result.layer.dequantized()
        // The exact fp64 objective costs out·in² fp64 multiply-adds; past ~2·10¹⁰ (7B-sized MLP layers) the
        // solver's own final report (fp32 products, fp64 sums) stands in for it.
        let exact = Double(weights.rows) * Double(weights.cols * weights.cols) <= 2e10 || result.cancelled
        // The error map costs the same product as the exact objective and carries it.
        let map = exact || result.history.isEmpty ? ErrorMap(weights: weights, quantized: deq, hessian: problem.hessian) : nil
        let err = map?.relativeError ?? result.history[result.history.count - 1].relativeError
        return LayerOutcome(layer: layer, method: method, result: result, relativeError: err, tokens: tokens, dequantized: deq,
                            errorMap: map)
    }
}

/// Carries a non-Sendable callback into the solver's `@Sendable` progress sink; the solver calls it
/// synchronously on the calling thread.
private final class ReportBox: @unchecked Sendable {
    let call: (SolverProgress) -> Void
    init(_ call: @escaping (SolverProgress) -> Void) { self.call = call }
}

/// The calibration inputs of a layer cannot make a Σ: the activations reaching it are not finite (weights or
/// config values the checkpoint's forward pass overflows on).
public struct CalibrationInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let block: Int
    public let layer: String
    public let fault: GramAccumulator.BatchError

    public var description: String {
        "calibrating block \(block), the input of \(layer): \(fault) (the forward pass overflowed before this layer)"
    }
}
