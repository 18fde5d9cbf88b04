import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// True when the demo LM has been fetched (`scripts/fetch-demo-lm.sh`).
let smolLM2Present = KnownModel.smolLM2.isInstalled

/// SmolLM2-135M-Instruct (GGUF Q4_1) against transformers loading the same file
/// (`Fixtures/smollm2/reference.safetensors`, written by `scripts/make-smollm2-reference.py`).
@Suite("Forward: SmolLM2 GGUF against transformers",
       .enabled(if: smolLM2Present, "demo LM absent: run scripts/fetch-demo-lm.sh (make demo-lm) to enable the SmolLM2 tests"))
struct ForwardSmolLM2Tests {
    /// Allowed |Δ| as a fraction of the position's largest |logit|. Both sides dequantize the same Q4_1/Q8_0
    /// blocks exactly and run fp32 through 30 blocks in different summation orders; each dot product of
    /// length ≤ 1536 may then differ by a few γₙ·Σ|terms| ≈ 1e-5 of its magnitude, and 30 residual blocks
    /// carry that forward without amplifying it much (measured: ≤ 2.0e-6 of the largest logit under the
    /// SkylakeX, Haswell and Prescott kernels). A wrong
    /// formula (say, an unpermuted q/k row order) moves logits by O(1) on logits of O(20).
    static let relativeTolerance: Float = 1e-4

    static let model = Result { try TransformerModel(checkpoint: try Checkpoint(directory: KnownModel.smolLM2.directory)) }
    static let reference = Result { try SafetensorsFile(url: try ForwardFixtures.folder("smollm2").appendingPathComponent("reference.safetensors")) }

    @Test func theConfigComesFromTheMetadata() throws {
        let checkpoint = try Self.model.get().checkpoint
        guard case let .llama(config) = checkpoint.config else { Issue.record("expected a llama config"); return }
        #expect(config.layerCount == 30 && config.hiddenSize == 576 && config.headCount == 9 && config.kvHeadCount == 3)
        #expect(config.intermediateSize == 1536 && config.vocabSize == 49_152 && config.maxPositionEmbeddings == 8192)
        #expect(config.tieWordEmbeddings && config.rope.theta == 100_000 && config.rope.scaling == .none)
        #expect(checkpoint.format == .gguf(version: 3))
        #expect(checkpoint.linearLayers.count == 210)
        #expect(try checkpoint.info("model.layers.0.self_attn.q_proj.weight").ggmlType == .q4_1)
        #expect(try checkpoint.info("model.embed_tokens.weight").ggmlType == .q8_0)
    }

    @Test(arguments: 0..<4)
    func logitsMatchTransformers(prompt: Int) throws {
        let model = try Self.model.get(), reference = try Self.reference.get()
        let tokens = try ForwardFixtures.ids(reference, "tokens.\(prompt)")
        try model.validate(tokens)
        let logits = try model.forward(tokens)
        let columns = try ForwardFixtures.ids(reference, "columns.\(prompt)")
        let expected = try reference.matrix("logits.\(prompt)"), maxAbs = try reference.floats("maxabs.\(prompt)")
        var worst: Float = 0
        for position in 0..<tokens.count {
            var difference: Float = 0
            for k in 0..<expected.cols {
                difference = max(difference, abs(logits[position, columns[position * expected.cols + k]] - expected[position, k]))
            }
            let relative = difference / maxAbs[position]
            worst = max(worst, relative)
            #expect(relative <= Self.relativeTolerance, "prompt \(prompt) position \(position): max |Δ| \(difference) of max |logit| \(maxAbs[position])")
        }
        print("SmolLM2 prompt \(prompt): worst max |Δ| / max |logit| = \(worst)")
    }

    /// transformers' mean next-token NLL of each prompt; the logits agree to ≤ 1e-4 of their largest value,
    /// so the NLLs (a log-sum-exp minus one logit) agree to ≤ 2 · 1e-4 · max|logit| ≈ 5e-3 nats at the tolerance.
    @Test(arguments: 0..<4)
    func negativeLogLikelihoodMatchesTransformersLoss(prompt: Int) throws {
        let model = try Self.model.get(), reference = try Self.reference.get()
        let tokens = try ForwardFixtures.ids(reference, "tokens.\(prompt)")
        let nll = try PerplexityAccumulator.meanNegativeLogLikelihood(logits: model.forward(tokens), tokens: tokens)
        let expected = Double(try reference.floats("nll.\(prompt)")[0])
        #expect(abs(nll - expected) <= 5e-3, "prompt \(prompt): NLL \(nll), transformers \(expected)")
    }

    /// Greedy decoding picks transformers' tokens (its `generate(do_sample=False)`, up to its end-of-sequence).
    @Test(arguments: 0..<4)
    func greedyContinuationMatchesTransformers(prompt: Int) throws {
        let model = try Self.model.get(), reference = try Self.reference.get()
        let tokens = try ForwardFixtures.ids(reference, "tokens.\(prompt)")
        let expected = try ForwardFixtures.ids(reference, "greedy.\(prompt)")
        guard case let .llama(config) = model.checkpoint.config else { return }
        let generated = try model.greedyContinuation(of: tokens, count: expected.count, stop: Set(config.eosTokenIds))
        #expect(generated == Array(expected.prefix(generated.count)) && !generated.isEmpty, "prompt \(prompt)")
    }
}
