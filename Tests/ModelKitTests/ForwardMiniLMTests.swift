import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// True when the demo model has been fetched (`scripts/fetch-demo-model.sh`).
private let miniLMPresent = FileManager.default.fileExists(
    atPath: KnownModel.miniLM.directory.appendingPathComponent(Checkpoint.singleFileName).path)

/// all-MiniLM-L6-v2 sentence embeddings against sentence-transformers (`Fixtures/minilm/expected.safetensors`).
@Suite("Forward: MiniLM against sentence-transformers",
       .enabled(if: miniLMPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable the MiniLM forward tests"))
struct ForwardMiniLMTests {
    @Test func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let folder = try ForwardFixtures.folder("minilm")
        let sentences = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("sentences.json")))
        let expected = try SafetensorsFile(url: folder.appendingPathComponent("expected.safetensors"))
        let embeddings = try expected.matrix("embeddings")
        #expect(embeddings.rows == sentences.count)

        let model = try TransformerModel(checkpoint: try Checkpoint(directory: KnownModel.miniLM.directory))
        #expect(!model.isCausalLM && model.blockCount == 6 && model.linearLayers.count == 36)
        let tokenizer = try Tokenizer(contentsOf: KnownModel.miniLM.directory.appendingPathComponent("tokenizer.json"))
        var lowest = 1.0
        for (index, sentence) in sentences.enumerated() {
            let tokens = tokenizer.encode(sentence)
            #expect(tokens == (try ForwardFixtures.ids(expected, "tokens.\(index)")), "tokens of \"\(sentence)\"")
            try model.validate(tokens)
            let embedding = try model.sentenceEmbedding(tokens)
            let reference = (0..<embeddings.cols).map { Double(embeddings[index, $0]) }
            let dot = zip(embedding, reference).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            let cosine = dot / reference.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            lowest = min(lowest, cosine)
            // Against sentence-transformers' fp32 run through 6 blocks (a fixture tolerance): for unit vectors
            // 1 − cos = ½‖Δ‖², so this allows ‖Δ‖ ≈ 4.5e-3; measured 1 − cos ≤ 6e-9 (‖Δ‖ ≈ 1e-4).
            #expect(cosine >= 0.99999, "\"\(sentence)\": cosine \(cosine)")
        }
        print("MiniLM: lowest cosine to sentence-transformers over \(sentences.count) sentences: \(lowest)")
    }

    @Test func theHeadOfAnEncoderIsTheFinalHiddenStates() throws {
        let model = try TransformerModel(checkpoint: try Checkpoint(directory: KnownModel.miniLM.directory))
        let tokens = [101, 7592, 1010, 2088, 999, 102]
        var hidden = try model.embed(tokens)
        for block in 0..<model.blockCount { hidden = try model.block(block, hidden) }
        #expect(try model.head(hidden) == hidden)
        #expect(try model.forward(tokens).shape == [tokens.count, 384])
    }
}
