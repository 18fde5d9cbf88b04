import Foundation
import FloatBounds
import QuantCore
import Testing
@testable import ModelKit

/// Logits (hidden states for the encoder) of the tiny random checkpoints against transformers' own.
@Suite("Forward: tiny models against transformers")
struct ForwardTinyModelTests {
    /// Largest |Δ| to transformers' fp32 outputs. A fixture tolerance, not a worst-case bound: torch and we
    /// evaluate the same formulas in fp32, in other summation orders, through ≤ 2 blocks, and differ by
    /// ≤ 1.9e-5 on logits up to |68| (0.3 ppm) and ≤ 2.3e-6 on hidden states ≲ 6; a wrong formula is O(1e-2)
    /// off or more. (Worst-case orders could differ by more: the head's 64-term dot products alone allow
    /// 2γ₆₄·Σ|h·w| ≈ 5e-4 on the largest logits.)
    static let tolerance: Float = 1e-4

    @Test(arguments: ForwardFixtures.tinyModels)
    func outputsMatchTheReference(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        var largest: Float = 0
        for sequence in 0..<2 {
            let tokens = try ForwardFixtures.ids(reference, "tokens.\(sequence)")
            try model.validate(tokens)
            let expected = try reference.matrix("logits.\(sequence)")
            let difference = ForwardFixtures.maxAbsDifference(try model.forward(tokens), expected)
            #expect(difference <= Self.tolerance, "\(name) sequence \(sequence) (\(tokens.count) tokens): max |Δ| = \(difference)")
            largest = max(largest, difference)
        }
        print("\(name): max |Δ| to transformers over both sequences: \(largest)")
    }

    @Test(arguments: ForwardFixtures.tinyModels)
    func everyBlockMatchesTheReference(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        var hidden = try model.embed(tokens)
        let embedDifference = ForwardFixtures.maxAbsDifference(hidden, try reference.matrix("hidden.embed"))
        #expect(embedDifference <= Self.tolerance, "\(name) embeddings: max |Δ| = \(embedDifference)")
        for block in 0..<model.blockCount {
            hidden = try model.block(block, hidden)
            let difference = ForwardFixtures.maxAbsDifference(hidden, try reference.matrix("hidden.block.\(block)"))
            #expect(difference <= Self.tolerance, "\(name) block \(block): max |Δ| = \(difference)")
        }
    }

    @Test func modelKindsAndLayers() throws {
        for name in ForwardFixtures.tinyModels {
            let (model, _) = try ForwardFixtures.tiny(name)
            #expect(model.isCausalLM == (name != "tiny-bert"), "\(name)")
            #expect(model.blockCount == 2)
            #expect(model.linearLayers == model.checkpoint.linearLayers)
        }
    }

    @Test func aChunkedLMHeadGivesTheSameLogits() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-llama")
        let tokens = try ForwardFixtures.ids(reference, "tokens.1")
        var hidden = try model.embed(tokens)
        for block in 0..<model.blockCount { hidden = try model.block(block, hidden) }
        let whole = try model.head(hidden)
        model.headChunkElements = 100 * 64   // 100 vocabulary rows per gemm: chunks of 100, 100, 56
        let chunked = try model.head(hidden)
        #expect(chunked.shape == whole.shape)
        // The head's gemm operands, built the way `head` builds them.
        guard case let .llama(config) = model.checkpoint.config else { Issue.record("tiny-llama is not a Llama"); return }
        let store = TensorStore(checkpoint: model.checkpoint)
        let architecture = try LlamaForward(config: config, store: store)
        let final = architecture.finalHidden(hidden), table = try store.matrix(try #require(architecture.lmHead))
        // Each logit is one fp32 dot product of `width` terms, summed in whatever order the kernel takes for
        // that gemm shape (Haswell's differs between n = 256 and n = 100/56): two evaluations differ by at
        // most 2γ(width)·Σ_k |h_k·w_k|, up to 5.5e-4 on the largest logits (|68|). The old 1e-5 was no bound:
        // Haswell's 1.9e-5 is 0.05 of this one.
        let width = final.cols
        var worst = 0.0
        for s in 0..<final.rows {
            for v in 0..<table.rows {
                let magnitude = (0..<width).reduce(0.0) { $0 + abs(Double(final[s, $1]) * Double(table[v, $1])) }
                let bound = FloatSums.twoEvaluationsDiffer(terms: width, magnitude: magnitude)
                worst = max(worst, Double(abs(chunked[s, v] - whole[s, v])) / bound)
            }
        }
        #expect(worst <= 1, "chunked head: worst |Δ| / bound = \(worst)")
    }
}

/// Sequences stacked into one batch go through a block as they do one at a time.
@Suite("Forward: batched sequences")
struct ForwardBatchTests {
    /// Each sequence attends only to itself and (Llama) restarts its positions, so the batched block computes
    /// the same formulas; only the gemms' blocking over more rows may reorder the fp32 sums: 2γₙ of the
    /// widest dot product (n = the widest linear input) per linear, relative to the output's magnitude, for
    /// the four linears chained in a block (q/k/v → o, gate/up → down). Measured: ≤ 7.2e-7 against bounds of
    /// ≥ 7.9e-5. A batch that leaked attention across sequences, or continued the positions, is off by O(1e-1).
    @Test(arguments: ForwardFixtures.tinyModels)
    func aBatchOfSequencesMatchesEachAlone(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        let long = try ForwardFixtures.ids(reference, "tokens.1")
        let sequences = [Array(long.prefix(7)), Array(long.dropFirst(7).prefix(7)), try ForwardFixtures.ids(reference, "tokens.0")]
        let batch = try model.block(0, try model.embed(batch: sequences), sequenceLength: 7)
        let width = batch.cols
        let widest = model.linearLayers.map(\.inFeatures).max() ?? width
        for (index, sequence) in sequences.enumerated() {
            let alone = try model.block(0, try model.embed(sequence))
            let rows = Array(batch.storage[index * 7 * width..<(index + 1) * 7 * width])
            let magnitude = alone.storage.map { Double(abs($0)) }.max() ?? 0
            let bound = 4 * FloatSums.twoEvaluationsDiffer(terms: widest, magnitude: magnitude)
            let difference = zip(rows, alone.storage).map { Double(abs($0 - $1)) }.max() ?? 0
            #expect(difference <= bound, "\(name) sequence \(index): max |Δ| \(difference) > \(bound)")
        }
    }

    /// A pass that stops at a layer shows the same inputs as a full pass, up to that layer, and no later ones.
    @Test(arguments: ForwardFixtures.tinyModels)
    func aStoppedPassShowsTheInputsUpToItsLayer(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        let x = try model.embed(try ForwardFixtures.ids(reference, "tokens.0"))
        var full: [(String, Matrix<Float>)] = []
        _ = try model.block(1, x) { full.append(($0.name, $1)) }
        for (position, layer) in full.map(\.0).enumerated() {
            var seen: [(String, Matrix<Float>)] = []
            try model.observeInputs(1, x, through: layer) { seen.append(($0.name, $1)) }
            #expect(seen.map(\.0) == full.prefix(position + 1).map(\.0), "\(name) through \(layer)")
            #expect(zip(seen, full).allSatisfy { $0.1 == $1.1 }, "\(name) through \(layer): the inputs differ")
        }
    }
}
