import Foundation
import Testing
@testable import ModelKit

/// The perplexity protocol against transformers' own loss (`model(ids, labels=ids).loss`, written by
/// scripts/make-tiny-models.py into each tiny causal fixture's loss.json).
@Suite struct EvaluationPerplexityTests {
    @Test(arguments: ["tiny-llama", "tiny-qwen2", "tiny-opt", "tiny-opt-postln", "tiny-gpt2"])
    func meanNLLMatchesTransformersLoss(_ name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        let losses = try JSONDecoder().decode([String: Double].self,
                                              from: Data(contentsOf: try ForwardFixtures.folder("models/\(name)/loss.json")))
        var ppl = PerplexityAccumulator()
        for s in ["tokens.0", "tokens.1"] {
            let tokens = try ForwardFixtures.ids(reference, s)
            let ours = try PerplexityAccumulator.meanNegativeLogLikelihood(logits: model.forward(tokens), tokens: tokens)
            let theirs = try #require(losses[s])
            #expect(abs(ours - theirs) < 1e-4 * max(1, theirs), "\(name) \(s): \(ours) vs transformers \(theirs)")
            try ppl.add(logits: model.forward(tokens), tokens: tokens)
        }
        let expected = exp((losses["tokens.0"]! + losses["tokens.1"]!) / 2)
        #expect(abs(log(try ppl.perplexity()) - log(expected)) < 1e-4 * max(1, log(expected)))
    }
}
