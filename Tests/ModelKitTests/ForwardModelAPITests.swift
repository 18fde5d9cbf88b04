import Foundation
import FloatBounds
import QuantCore
import Testing
@testable import ModelKit

/// The calibration-facing surface of `TransformerModel`: observers, weight replacement, block caching,
/// input validation and unsupported settings.
@Suite("Forward: model API")
struct ForwardModelAPITests {
    @Test func observeSeesEveryLinearInputInOrderWithItsShape() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-llama")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        var seen: [(String, [Int])] = []
        let logits = try model.forward(tokens) { layer, input in seen.append((layer.name, input.shape)) }
        #expect(seen.map(\.0) == model.linearLayers.map(\.name))
        #expect(seen.map(\.1) == model.linearLayers.map { [tokens.count, $0.inFeatures] })
        #expect(logits.shape == [tokens.count, 256])
    }

    @Test func theObservedInputIsWhatTheLinearMultiplies() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-gpt2")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        let hidden = try model.embed(tokens)
        var inputs: [String: Matrix<Float>] = [:]
        _ = try model.block(0, hidden) { layer, input in inputs[layer.name] = input }
        // Zeroing mlp.c_proj's weight leaves its bias: the block output becomes residual + bias, so
        // the difference to the original output is exactly c_proj(observed input) without the bias.
        let layer = try #require(model.linearLayers.first { $0.name == "0.mlp.c_proj" })
        let weight = try model.checkpoint.loadLinearWeight(layer.name)
        let original = try model.block(0, hidden)
        try model.replaceWeight(layer.name, with: Matrix(rows: layer.outFeatures, cols: layer.inFeatures))
        let zeroed = try model.block(0, hidden)
        let input = try #require(inputs[layer.name]), bias = try model.checkpoint.floats(try #require(layer.biasName))
        let expected = input.matmul(weight, transposeOther: true), difference = original - zeroed
        // `difference` is x·Wᵀ up to the fp32 roundings of adding it and the bias b into the residual stream
        // and of the subtraction, ≤ u·(|original| + |zeroed| + |difference| + |b|) with a spare u; `expected`
        // is another evaluation of the same n-term dot products (+ b's term).
        var worst = 0.0
        for t in 0..<expected.rows {
            for o in 0..<expected.cols {
                let magnitude = (0..<input.cols).reduce(0.0) { $0 + abs(Double(input[t, $1]) * Double(weight[o, $1])) } + abs(Double(bias[o]))
                let stream = [original[t, o], zeroed[t, o], difference[t, o], bias[o]].reduce(0.0) { $0 + abs(Double($1)) }
                let bound = FloatSums.twoEvaluationsDiffer(terms: input.cols + 1, magnitude: magnitude) + FloatSums.gamma(2) * stream
                worst = max(worst, abs(Double(difference[t, o]) - Double(expected[t, o])) / bound)
            }
        }
        #expect(worst <= 1, "largest |Δ| / bound: \(worst)")
    }

    @Test func aCancelledGreedyContinuationStopsBeforeTheNextToken() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-llama")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        let whole = try model.greedyContinuation(of: tokens, count: 6)
        var checks = 0
        let cut = try model.greedyContinuation(of: tokens, count: 6, isCancelled: { checks += 1; return checks > 2 })
        #expect(whole.count == 6 && cut == Array(whole.prefix(2)))
    }

    @Test func replaceAndRestoreWeight() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-opt")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        let original = try model.forward(tokens)
        let layer = model.linearLayers[4]
        var weight = try model.checkpoint.loadLinearWeight(layer.name)
        for i in weight.storage.indices { weight.storage[i] = (weight.storage[i] * 4).rounded() / 4 }
        try model.replaceWeight(layer.name, with: weight)
        let quantized = try model.forward(tokens)
        // Weights rounded to quarters move the logits by O(1) (5 here); fp32 rounding alone is ≲ 1e-5.
        #expect(ForwardFixtures.maxAbsDifference(original, quantized) > 1e-3)
        try model.restoreWeight(layer.name)
        #expect(try model.forward(tokens) == original)
    }

    @Test func replaceWeightRejectsBadInput() throws {
        let (model, _) = try ForwardFixtures.tiny("tiny-qwen2")
        let layer = model.linearLayers[1]
        #expect(throws: ForwardError.unknownLayer(name: "9.self_attn.k_proj")) {
            try model.replaceWeight("9.self_attn.k_proj", with: Matrix(rows: 16, cols: 32))
        }
        #expect(throws: ForwardError.replacementShape(layer: layer.name, expected: [16, 32], actual: [32, 16])) {
            try model.replaceWeight(layer.name, with: Matrix(rows: 32, cols: 16))
        }
        var bad = Matrix<Float>(rows: 16, cols: 32)
        bad[3, 4] = .nan
        #expect(throws: ForwardError.replacementNotFinite(layer: layer.name)) { try model.replaceWeight(layer.name, with: bad) }
        #expect(throws: ForwardError.unknownLayer(name: "nope")) { try model.restoreWeight("nope") }
    }

    @Test func blocksLoadOnFirstUseAndReleaseDropsThem() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-gpt2")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        #expect(model.cachedBlockCount == 0)
        let first = try model.block(0, try model.embed(tokens))
        #expect(model.cachedBlockCount == 1)
        model.releaseBlock(0)
        #expect(model.cachedBlockCount == 0)
        #expect(try model.block(0, model.embed(tokens)) == first)
    }

    @Test func validateNamesTheFault() throws {
        let (gpt2, _) = try ForwardFixtures.tiny("tiny-gpt2")
        #expect(throws: ForwardError.emptySequence) { try gpt2.validate([]) }
        #expect(throws: ForwardError.tokenOutOfRange(position: 1, token: 256, vocabularySize: 256)) { try gpt2.validate([3, 256]) }
        #expect(throws: ForwardError.tokenOutOfRange(position: 0, token: -1, vocabularySize: 256)) { try gpt2.validate([-1]) }
        #expect(throws: ForwardError.sequenceTooLong(length: 129, maximum: 128)) { try gpt2.validate(Array(repeating: 5, count: 129)) }
        #expect(gpt2.maxSequenceLength == 128)
        let (llama, _) = try ForwardFixtures.tiny("tiny-llama")
        #expect(llama.maxSequenceLength == nil)
        try llama.validate(Array(repeating: 5, count: 300))
    }

    @Test func tokensOutsideTheTablesAreRefusedNamingTheLimit() throws {
        let (model, _) = try ForwardFixtures.tiny("tiny-opt")
        let vocabulary = model.checkpoint.config.vocabSize
        #expect(throws: ForwardError.tokenOutOfRange(position: 0, token: -5, vocabularySize: vocabulary)) { try model.embed([-5, 1]) }
        #expect(throws: ForwardError.tokenOutOfRange(position: 1, token: vocabulary, vocabularySize: vocabulary)) {
            try model.forward([1, vocabulary])
        }
        let maximum = try #require(model.maxSequenceLength)
        #expect(throws: ForwardError.sequenceTooLong(length: maximum + 1, maximum: maximum)) {
            try model.embed(batch: [Array(repeating: 3, count: maximum + 1)])
        }
        #expect(try model.forward(Array(repeating: 3, count: maximum)).allFinite)
    }

    @Test func anEmptySequenceGivesEmptyOutputs() throws {
        let (llama, _) = try ForwardFixtures.tiny("tiny-llama")
        #expect(try llama.forward([]).shape == [0, 256])
        let (bert, _) = try ForwardFixtures.tiny("tiny-bert")
        #expect(try bert.forward([]).shape == [0, 32])
        #expect(try bert.sentenceEmbedding([]).allSatisfy { $0 == 0 })
    }

    @Test func legacyLayerNormGammaAndBetaNamesLoad() throws {
        let source = try ForwardFixtures.folder("models/tiny-bert")
        let scratch = try CheckpointScratch()
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: scratch.file("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var writer = SafetensorsWriter()
        for info in file.tensors {
            let name = info.name.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
                .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
            try writer.add(name, shape: info.shape, data: .f32(try file.floats(info.name)))
        }
        try writer.write(to: scratch.file("model.safetensors"))
        let legacy = try TransformerModel(checkpoint: try Checkpoint(directory: scratch.url))
        let (model, reference) = try ForwardFixtures.tiny("tiny-bert")
        let tokens = try ForwardFixtures.ids(reference, "tokens.0")
        #expect(try legacy.forward(tokens) == model.forward(tokens))
    }

    @Test func sentenceEmbeddingIsTheNormalisedMeanOfTheFinalHiddenStates() throws {
        let (model, reference) = try ForwardFixtures.tiny("tiny-bert")
        let tokens = try ForwardFixtures.ids(reference, "tokens.1")
        let hidden = try model.forward(tokens)                  // an encoder's head returns the final hidden states
        let mean = (0..<hidden.cols).map { c in (0..<hidden.rows).reduce(0.0) { $0 + Double(hidden[$1, c]) } / Double(hidden.rows) }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let embedding = try model.sentenceEmbedding(tokens)
        #expect(embedding.count == 32)
        // Against fp64 means of the same fp32 states: the embedding rounds each mean to fp32 (which moves the
        // norm by at most u too) and the quotient once more, γ(3) of each entry, with a spare u for fp64.
        #expect(zip(embedding, mean).allSatisfy { abs(Double($0) - $1 / norm) <= FloatSums.gamma(4) * abs($1 / norm) })
    }

    @Test func unsupportedSettingsGiveAClearError() throws {
        let source = try ForwardFixtures.folder("models/tiny-llama")
        let scratch = try CheckpointScratch()
        try FileManager.default.copyItem(at: source.appendingPathComponent("model.safetensors"), to: scratch.file("model.safetensors"))
        var config = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        config = config.replacingOccurrences(of: "\"silu\"", with: "\"mish\"")
        try scratch.write(text: config, to: "config.json")
        let error = #expect(throws: ForwardError.self) { try TransformerModel(checkpoint: try Checkpoint(directory: scratch.url)) }
        #expect(error?.description.contains("hidden_act 'mish'") == true)
    }

    @Test func aMissingTensorIsNamed() throws {
        let source = try ForwardFixtures.folder("models/tiny-gpt2")
        let scratch = try CheckpointScratch()
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: scratch.file("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var writer = SafetensorsWriter()
        for info in file.tensors where info.name != "transformer.ln_f.bias" {
            try writer.add(info.name, shape: info.shape, data: .f32(try file.floats(info.name)))
        }
        try writer.write(to: scratch.file("model.safetensors"))
        #expect(throws: ForwardError.missingTensor(directory: scratch.url.path, tensor: "transformer.ln_f.bias")) {
            try TransformerModel(checkpoint: try Checkpoint(directory: scratch.url))
        }
    }

    @Test func anIntegerLinearWeightIsRefusedWhenTheModelIsBuilt() throws {
        // Bug: an I8 linear weight passed the build and trapped when a block first loaded it.
        let source = try ForwardFixtures.folder("models/tiny-llama")
        let scratch = try CheckpointScratch()
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: scratch.file("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        let integer = "model.layers.1.self_attn.q_proj.weight"
        var writer = SafetensorsWriter()
        for info in file.tensors {
            let values = try file.floats(info.name)
            try writer.add(info.name, shape: info.shape, data: info.name == integer ? .i8(values.map { _ in 1 }) : .f32(values))
        }
        try writer.write(to: scratch.file("model.safetensors"))
        #expect(throws: ForwardError.notFloatingPoint(directory: scratch.url.path, tensor: integer, dtype: .i8)) {
            try TransformerModel(checkpoint: try Checkpoint(directory: scratch.url))
        }
    }
}
