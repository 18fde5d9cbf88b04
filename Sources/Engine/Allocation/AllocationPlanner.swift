import Foundation
import ModelKit
import QuantCore

/// Measures what each candidate configuration would do to each layer and chooses under the budget:
///
/// 1. **Error curves.** Σ of every selected layer from the full-precision model's calibration inputs, block by
///    block; every candidate solved on it gives the layer's rel_err and stored bits per weight.
/// 2. **Sensitivity.** Each layer alone quantized with its cheapest candidate, the model's end-to-end damage on a
///    slice of the calibration windows (1 − embedding cosine for encoders, the rise in mean NLL for causal LMs),
///    per unit of that candidate's rel_err.
/// 3. **Choice.** Predicted damage = sensitivity × rel_err, summed over layers (`BitAllocation`).
public struct AllocationPlanner {
    let model: TransformerModel
    let windows: [[Int]]
    let layers: [LinearLayer]
    let settings: AllocationSettings

    public init(model: TransformerModel, windows: [[Int]], layers: [LinearLayer], settings: AllocationSettings) {
        (self.model, self.windows, self.layers, self.settings) = (model, windows, layers, settings)
    }

    /// Measures the curves and the sensitivities, then solves; `progress` gets (done, total, what).
    public func plan(progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> AllocationPlan {
        let candidates = settings.candidates
        let total = layers.count * (candidates.count + 1)
        var done = 0
        var rows: [AllocationPlan.Layer] = []
        let pipeline = QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(mode: .fromFullPrecision)) { _ in candidates[0] }
        var hidden = try CalibrationBatch.batches(of: windows, model: model)
        var probe = try SliceMetric(model: model, windows: Array(windows.prefix(settings.sensitivityWindows)))
        for block in 0..<model.blockCount {
            let targets = layers.filter { $0.block == block }
            if !targets.isEmpty {
                let groups = try pipeline.inputGroups(block, hidden[0])
                guard let (grams, outputs) = try pipeline.collect(block, hidden, layers: Set(targets.map(\.name)), groups: groups,
                                                                  keepOutputs: true, onEvent: { _ in }) else { break }
                for layer in targets {
                    guard let g = groups.index[layer.name], let gram = grams[g] else { continue }
                    var points: [AllocationPlan.Point] = []
                    var cheapest: (bits: Double, weight: Matrix<Float>)? = nil
                    for candidate in candidates {
                        progress(done, total, "\(layer.name): \(candidate.summary)")
                        let outcome = try QuantizationPipeline.solve(layer, model: model, sigma: gram.sigma, tokens: gram.tokens, method: candidate,
                                                                     control: .silent, report: { _ in })
                        let bits = outcome.result.layer.bitsPerWeight
                        points.append(AllocationPlan.Point(bitsPerWeight: bits, relativeError: outcome.relativeError))
                        if cheapest == nil || bits < cheapest!.bits { cheapest = (bits, outcome.dequantized) }
                        done += 1
                    }
                    progress(done, total, "\(layer.name): sensitivity")
                    try model.replaceWeight(layer.name, with: cheapest!.weight)
                    let damage = try probe.damage(of: model)
                    try model.restoreWeight(layer.name)
                    let lowest = points.min { $0.bitsPerWeight < $1.bitsPerWeight }!
                    rows.append(AllocationPlan.Layer(name: layer.name, weights: layer.outFeatures * layer.inFeatures, points: points,
                                                     endToEndDamage: damage, sensitivity: max(damage, 0) / max(lowest.relativeError, 1e-12)))
                    done += 1
                }
                hidden = outputs
            } else {
                hidden = try hidden.map { try $0.through(block, of: model) }
            }
            try probe.advance(through: block, of: model)
            model.releaseBlock(block)
        }
        let order = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1.name, $0) })
        rows.sort { order[$0.name]! < order[$1.name]! }
        progress(total, total, "choosing")
        return try AllocationPlan(layers: rows, budget: settings.budget, candidates: candidates,
                                  metric: model.isCausalLM ? .negativeLogLikelihood : .embeddingCosine)
    }
}

/// The end-to-end metric of a model on a few windows, against the full-precision outputs taken once. The
/// windows' full-precision hidden states are kept at the input of the block being measured (`advance`), so the
/// damage of a change in that block runs only the blocks from there on, the windows batched.
struct SliceMetric {
    let windows: [[Int]]
    let causal: Bool
    /// The windows entering block `next`, computed with the model's weights at the time.
    private var inputs: [CalibrationBatch]
    private var next = 0
    /// The full-precision sentence embeddings (encoders) or mean NLL (causal LMs).
    private var embeddings: [[Float]] = []
    private var nll = 0.0

    init(model: TransformerModel, windows: [[Int]]) throws {
        self.windows = windows
        causal = model.isCausalLM
        inputs = try CalibrationBatch.batches(of: windows, model: model)
        let outputs = try measure(model)
        (embeddings, nll) = (outputs.embeddings, outputs.nll)
    }

    /// Moves the kept hidden states past block `index` (with the model's weights as they are now).
    mutating func advance(through index: Int, of model: TransformerModel) throws {
        precondition(index == next, "the slice advances one block at a time")
        inputs = try inputs.map { try $0.through(index, of: model) }
        next += 1
    }

    /// 1 − mean cosine to the full-precision embeddings, or the rise in mean NLL, with the model as it is now
    /// from block `next` on.
    func damage(of model: TransformerModel) throws -> Double {
        let outputs = try measure(model)
        if causal { return outputs.nll - nll }
        let cosine = zip(outputs.embeddings, embeddings).reduce(0.0) { sum, pair in
            sum + zip(pair.0, pair.1).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        return 1 - cosine / Double(max(windows.count, 1))
    }

    /// The last block's output of every window from the kept inputs on: sentence embeddings or the mean NLL.
    private func measure(_ model: TransformerModel) throws -> (embeddings: [[Float]], nll: Double) {
        var embeddings: [[Float]] = [], nll = 0.0, w = 0
        for batch in inputs {
            var x = batch
            for index in next..<model.blockCount { x = try x.through(index, of: model) }
            for start in stride(from: 0, to: x.hidden.rows, by: x.sequenceLength) {
                let cols = x.hidden.cols
                let rows = Matrix(rows: x.sequenceLength, cols: cols,
                                  storage: Array(x.hidden.storage[start * cols..<(start + x.sequenceLength) * cols]))
                if causal {
                    nll += try PerplexityAccumulator.meanNegativeLogLikelihood(logits: try model.head(rows), tokens: windows[w])
                } else {
                    embeddings.append(TransformerModel.sentenceEmbedding(ofLastHidden: rows))
                }
                w += 1
            }
        }
        return (embeddings, nll / Double(max(windows.count, 1)))
    }
}
