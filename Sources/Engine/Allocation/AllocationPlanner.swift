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
        var curves: [String: [AllocationPlan.Point]] = [:]
        var cheapest: [String: Matrix<Float>] = [:]
        let pipeline = QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(mode: .fromFullPrecision)) { _ in candidates[0] }
        var hidden = try CalibrationBatch.batches(of: windows, model: model)
        for block in 0..<model.blockCount {
            let targets = layers.filter { $0.block == block }
            guard !targets.isEmpty else {
                hidden = try hidden.map { try $0.through(block, of: model) }
                model.releaseBlock(block)
                continue
            }
            let groups = try pipeline.inputGroups(block, hidden[0])
            guard let (grams, outputs) = try pipeline.collect(block, hidden, layers: Set(targets.map(\.name)), groups: groups,
                                                              keepOutputs: true, onEvent: { _ in }) else { break }
            for layer in targets {
                guard let g = groups.index[layer.name], let gram = grams[g] else { continue }
                var points: [AllocationPlan.Point] = []
                var lowest: (bits: Double, weight: Matrix<Float>)? = nil
                for candidate in candidates {
                    progress(done, total, "\(layer.name): \(candidate.summary)")
                    let outcome = try QuantizationPipeline.solve(layer, model: model, sigma: gram.sigma, tokens: gram.tokens, method: candidate,
                                                                 control: .silent, report: { _ in })
                    let bits = outcome.result.layer.bitsPerWeight
                    points.append(AllocationPlan.Point(bitsPerWeight: bits, relativeError: outcome.relativeError))
                    if lowest == nil || bits < lowest!.bits { lowest = (bits, outcome.dequantized) }
                    done += 1
                }
                curves[layer.name] = points
                cheapest[layer.name] = lowest!.weight
            }
            hidden = outputs
            model.releaseBlock(block)
        }
        let slice = Array(windows.prefix(settings.sensitivityWindows))
        let reference = try SliceMetric(model: model, windows: slice)
        var rows: [AllocationPlan.Layer] = []
        for layer in layers {
            guard let points = curves[layer.name], let weight = cheapest[layer.name] else { continue }
            progress(done, total, "\(layer.name): sensitivity")
            try model.replaceWeight(layer.name, with: weight)
            let damage = try reference.damage(of: model)
            try model.restoreWeight(layer.name)
            let lowest = points.min { $0.bitsPerWeight < $1.bitsPerWeight }!
            rows.append(AllocationPlan.Layer(name: layer.name, weights: layer.outFeatures * layer.inFeatures, points: points,
                                             endToEndDamage: damage, sensitivity: max(damage, 0) / max(lowest.relativeError, 1e-12)))
            done += 1
        }
        progress(total, total, "choosing")
        return try AllocationPlan(layers: rows, budget: settings.budget, candidates: candidates,
                                  metric: model.isCausalLM ? .negativeLogLikelihood : .embeddingCosine)
    }
}

/// The end-to-end metric of a model on a few windows, against the full-precision outputs taken once.
struct SliceMetric {
    let windows: [[Int]]
    let causal: Bool
    /// The full-precision sentence embeddings (encoders) or mean NLL (causal LMs).
    let embeddings: [[Float]]
    let nll: Double

    init(model: TransformerModel, windows: [[Int]]) throws {
        self.windows = windows
        causal = model.isCausalLM
        if causal {
            embeddings = []
            nll = try Self.meanNLL(model, windows)
        } else {
            embeddings = try windows.map { try model.sentenceEmbedding($0) }
            nll = 0
        }
    }

    /// 1 − mean cosine to the full-precision embeddings, or the rise in mean NLL.
    func damage(of model: TransformerModel) throws -> Double {
        if causal { return try Self.meanNLL(model, windows) - nll }
        var cosine = 0.0
        for (w, reference) in zip(windows, embeddings) {
            let e = try model.sentenceEmbedding(w)
            cosine += zip(e, reference).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        return 1 - cosine / Double(max(windows.count, 1))
    }

    static func meanNLL(_ model: TransformerModel, _ windows: [[Int]]) throws -> Double {
        var sum = 0.0
        for w in windows { sum += try PerplexityAccumulator.meanNegativeLogLikelihood(logits: try model.forward(w), tokens: w) }
        return sum / Double(max(windows.count, 1))
    }
}
