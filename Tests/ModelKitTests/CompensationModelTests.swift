import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// QDEC in the forward pass: the output hook, thresholds from the FP model, and compensated perplexity on
/// the tiny causal fixtures.
@Suite struct CompensationModelTests {
    /// Adds nothing: the hooked path must give the plain forward's numbers.
    struct Unchanged: LinearOutputAdjustment {
        func adjust(_ output: inout Matrix<Float>, input: Matrix<Float>) {}
    }

    /// A coarse symmetric 2-bit-like rounding per row (step max|w|/2), so the residual is large.
    static func coarse(_ w: Matrix<Float>) -> Matrix<Float> {
        var q = w
        for r in 0..<w.rows {
            let step = (0..<w.cols).map { abs(w[r, $0]) }.max()! / 2
            guard step > 0 else { continue }
            for c in 0..<w.cols { q[r, c] = (w[r, c] / step).rounded(.toNearestOrEven) * step }
        }
        return q
    }

    static func nll(_ model: TransformerModel, _ tokens: [Int]) throws -> Double {
        try PerplexityAccumulator.meanNegativeLogLikelihood(logits: model.forward(tokens), tokens: tokens)
    }

    @Test func anAdjustmentThatChangesNothingKeepsTheForward() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-opt")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        let plain = try model.forward(tokens)
        for layer in model.linearLayers { try model.setOutputAdjustment(layer.name, Unchanged()) }
        #expect(try model.forward(tokens) == plain)
        #expect(throws: ForwardError.unknownLayer(name: "nope")) { try model.setOutputAdjustment("nope", Unchanged()) }
    }

    @Test(arguments: ["tiny-llama", "tiny-opt", "tiny-gpt2"])
    func compensatedPerplexityPlumbing(_ name: String) throws {
        let (fp, reference) = try ForwardFixtures.tiny(name)
        let calibration = try ForwardFixtures.ids(reference, "tokens.0"), held = try ForwardFixtures.ids(reference, "tokens.1")
        let thresholds = try CompensationCalibration.thresholds(model: fp, windows: [calibration], layers: fp.linearLayers, positions: 1)
        #expect(thresholds.count == fp.linearLayers.count && thresholds.values.allSatisfy { $0.positions == calibration.count })

        let quantized = try TransformerModel(checkpoint: fp.checkpoint)
        let patched = try TransformerModel(checkpoint: fp.checkpoint)         // Ŵ + R̂ as dense weights
        var layers: [String: (quantized: Matrix<Float>, bits: Double)] = [:]
        for layer in fp.linearLayers {
            let w = try fp.checkpoint.loadLinearWeight(layer.name)
            let q = Self.coarse(w)
            try quantized.replaceWeight(layer.name, with: q)
            try patched.replaceWeight(layer.name, with: q + PackedResidual(weight: w, quantized: q).dequantized())
            layers[layer.name] = (q, 2)
        }
        let base = try Self.nll(quantized, held), full = try Self.nll(patched, held), exact = try Self.nll(fp, held)
        let dec = try CompensatedModel(model: quantized, layers: layers, thresholds: thresholds)

        try dec.install(kChunk: 0, selection: .bucket)
        #expect(try Self.nll(quantized, held) == base)

        let linears = try dec.install(kChunk: 1024, selection: .topK)
        let compensated = try Self.nll(quantized, held)
        // A plumbing check, not a rounding bound: the two models differ only in how each linear sums in fp32
        // (x·Ŵᵀ plus the fetched x_j·R̂_j against x·(Ŵ + R̂)ᵀ, ≤ 2γₙ·Σ|terms| apart), carried through two blocks,
        // and NLL moves by at most twice the largest logit change. Measured ≤ 5e-7 on NLLs of 18–46.
        #expect(abs(compensated - full) < 1e-4 * max(1, full), "\(name): all channels \(compensated) vs Ŵ+R̂ \(full)")
        #expect(abs(compensated - exact) < abs(base - exact), "\(name): FP \(exact), base \(base), compensated \(compensated)")
        for result in linears.map(\.result) {
            #expect(result.recall == 1 && result.positions == held.count)
            #expect(result.compensatedError < result.baseError, "\(result.layer)")
        }

        let partial = try dec.install(kChunk: 128, selection: .bucket)
        _ = try Self.nll(quantized, held)
        #expect(partial.allSatisfy { $0.result.compensatedError <= $0.result.baseError * 1.000001 })
        try dec.remove()
        #expect(try Self.nll(quantized, held) == base)
    }
}
