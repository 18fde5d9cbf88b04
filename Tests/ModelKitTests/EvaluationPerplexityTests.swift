import Foundation
import FloatBounds
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
        var largest = 0.0
        for s in ["tokens.0", "tokens.1"] {
            let tokens = try ForwardFixtures.ids(reference, s)
            let logits = try model.forward(tokens)
            let ours = try PerplexityAccumulator.meanNegativeLogLikelihood(logits: logits, tokens: tokens)
            let theirs = try #require(losses[s])
            // A token's −log softmax moves by at most twice the largest logit change, and our logits are within
            // ForwardTinyModelTests.tolerance of transformers'. Their loss is fp32 itself: each log-sum-exp of V
            // exps within γ(V + 2), and the mean of (max + log-sum − target) terms, each ≤ 2·max|z| + log V,
            // within γ(T + 3) of that.
            let z = Double(logits.storage.map(abs).max()!), v = logits.cols
            let bound = 2 * Double(ForwardTinyModelTests.tolerance) + FloatSums.gamma(v + 2)
                + FloatSums.gamma(tokens.count + 3) * (2 * z + log(Double(v)))
            largest = max(largest, bound)
            #expect(abs(ours - theirs) <= bound, "\(name) \(s): \(ours) vs transformers \(theirs)")
            try ppl.add(logits: logits, tokens: tokens)
        }
        // log perplexity is the mean of the two windows' NLLs.
        let expected = exp((losses["tokens.0"]! + losses["tokens.1"]!) / 2)
        #expect(abs(log(try ppl.perplexity()) - log(expected)) <= largest)
    }
}
