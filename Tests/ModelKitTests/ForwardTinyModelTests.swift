import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// Logits (hidden states for the encoder) of the tiny random checkpoints against transformers' own.
@Suite("Forward: tiny models against transformers")
struct ForwardTinyModelTests {
    static let tolerance: Float = 1e-4

    @Test(arguments: ForwardFixtures.tinyModels)
    func outputsMatchTheReference(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        var largest: Float = 0
        for sequence in 0..<2 {
            let tokens = try ForwardFixtures.ids(reference, "tokens.\(sequence)")
            try model.validate(tokens)
            let expected = try reference.matrix("logits.\(sequence)")
            let difference = ForwardFixtures.maxAbsDifference(model.forward(tokens), expected)
            #expect(difference <= Self.tolerance, "\(name) sequence \(sequence) (\(tokens.count) tokens): max |Δ| = \(difference)")
            largest = max(largest, difference)
        }
        print("\(name): max |Δ| to transformers over both sequences: \(largest)")
    }

    @Test(arguments: ForwardFixtures.tinyModels)
    func everyBlockMatchesTheReference(name: String) throws {
        let (model, reference) = try ForwardFixtures.tiny(name)
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        var hidden = model.embed(tokens)
        let embedDifference = ForwardFixtures.maxAbsDifference(hidden, try reference.matrix("hidden.embed"))
        #expect(embedDifference <= Self.tolerance, "\(name) embeddings: max |Δ| = \(embedDifference)")
        for block in 0..<model.blockCount {
            hidden = model.block(block, hidden)
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
        let whole = model.forward(tokens)
        model.headChunkElements = 100 * 64   // 100 vocabulary rows per gemm: chunks of 100, 100, 56
        let difference = ForwardFixtures.maxAbsDifference(model.forward(tokens), whole)
        #expect(difference <= 1e-5, "chunked head: max |Δ| = \(difference)")
    }
}
