import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

/// Perplexity of a real causal LM through the batched evaluation against window-by-window forwards.
@Suite("Model evaluation", .enabled(if: KnownModel.smolLM2.isInstalled, "demo LM absent: run scripts/fetch-demo-lm.sh (make demo-lm)"))
struct ModelEvaluationTests {
    /// The batched blocks compute each window's formulas; only fp32 summation orders differ (≤ 2e-6 of the
    /// largest logit, as the SmolLM2 forward parity measures), which moves a mean NLL of a few nats by
    /// ≲ 1e-4 nats: 1e-4 relative in perplexity holds with margin, a window leaking into another does not.
    @Test func batchedWindowsGiveTheWindowByWindowPerplexity() throws {
        let checkpoint = try Checkpoint(directory: KnownModel.smolLM2.directory)
        let model = try TransformerModel(checkpoint: checkpoint), tokenizer = try checkpoint.loadTokenizer()
        let text = CalibrationText(documents: [String](repeating: "The quick brown fox jumps over the lazy dog, then naps in the sun. ", count: 40),
                                   sourceDescription: "fixed text")
        let evaluation = try ModelEvaluation.run(reference: model, quantized: nil, tokenizer: tokenizer, heldOut: text, maxSamples: 3, windowLength: 64)
        let windows = Array(try CalibrationSampler(text: text, tokenizer: tokenizer).evaluationWindows(length: 64).prefix(3))
        var alone = PerplexityAccumulator()
        for window in windows { try alone.add(logits: model.forward(window), tokens: window) }
        let expected = try alone.perplexity(), batched = try #require(evaluation.referencePerplexity)
        #expect(evaluation.samples == 3 && evaluation.windowLength == 64 && evaluation.tokens == 192)
        #expect(evaluation.referenceLabel == "GGUF Q4_1")
        #expect(abs(batched - expected) <= 1e-4 * expected, "batched \(batched), window by window \(expected)")
        #expect(evaluation.line.contains("GGUF Q4_1 reference perplexity") && evaluation.line.contains("3 held-out windows of 64 tokens (192 tokens)"))
    }
}
