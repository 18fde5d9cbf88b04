import Foundation
import Testing
@testable import ModelKit

@Suite("Model layout")
struct ModelLayoutTests {
    private func layout(_ config: String, _ tensors: [(String, [Int])]) throws -> ModelLayout {
        try ModelLayout(config: TinyModels.config(config), tensorShapes: TinyModels.shapes(tensors), directory: "m")
    }

    @Test func bertModelHasNoPrefix() throws {
        let layout = try layout(TinyModels.bertConfig, TinyModels.bertTensors())
        #expect(layout.prefix == "")
        #expect(layout.linears.map(\.name) == [0, 1].flatMap { i in
            ["attention.self.query", "attention.self.key", "attention.self.value",
             "attention.output.dense", "intermediate.dense", "output.dense"].map { "\(i).\($0)" }
        })
        let first = try #require(layout.linears.first)
        #expect(first == LinearLayer(name: "0.attention.self.query", tensorName: "encoder.layer.0.attention.self.query.weight",
                                     biasName: "encoder.layer.0.attention.self.query.bias", block: 0,
                                     outFeatures: 8, inFeatures: 8, storedTransposed: false))
        #expect(layout.linears.map(\.shape)[4...5] == [[16, 8], [8, 16]])
        #expect(layout.linears.map(\.block) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    }

    @Test func bertForHeadsUseTheBertPrefix() throws {
        let layout = try layout(TinyModels.bertConfig, TinyModels.bertTensors(prefix: "bert.") + [("cls.predictions.bias", [10])])
        #expect(layout.prefix == "bert.")
        #expect(layout.linears[0].tensorName == "bert.encoder.layer.0.attention.self.query.weight")
        #expect(layout.linears[0].name == "0.attention.self.query")
        #expect(layout.linear(named: "1.output.dense")?.tensorName == "bert.encoder.layer.1.output.dense.weight")
        #expect(layout.linear(named: "bert.encoder.layer.1.output.dense.weight")?.name == "1.output.dense")
        #expect(layout.linear(named: "1.output") == nil)
    }

    @Test func llamaListsSevenLinearsPerBlockWithGQAShapes() throws {
        let layout = try layout(TinyModels.llamaConfig, TinyModels.llamaTensors())
        #expect(layout.prefix == "model.")
        #expect(layout.linears.count == 14)
        #expect(layout.linears.prefix(7).map(\.name) == ["0.self_attn.q_proj", "0.self_attn.k_proj", "0.self_attn.v_proj",
                                                          "0.self_attn.o_proj", "0.mlp.gate_proj", "0.mlp.up_proj", "0.mlp.down_proj"])
        #expect(layout.linears.prefix(7).map(\.shape) == [[8, 8], [4, 8], [4, 8], [8, 8], [12, 8], [12, 8], [8, 12]])
        #expect(layout.linears.allSatisfy { $0.biasName == nil && !$0.storedTransposed })
        #expect(layout.linears[13].tensorName == "model.layers.1.mlp.down_proj.weight")
    }

    @Test func optAcceptsHubAndCausalLMPrefixes() throws {
        for prefix in ["decoder.", "model.decoder."] {
            let layout = try layout(TinyModels.optConfig, TinyModels.optTensors(prefix: prefix))
            #expect(layout.prefix == prefix)
            #expect(layout.linears.prefix(6).map(\.name) == ["0.self_attn.q_proj", "0.self_attn.k_proj", "0.self_attn.v_proj",
                                                              "0.self_attn.out_proj", "0.fc1", "0.fc2"])
            #expect(layout.linears[4].shape == [16, 8] && layout.linears[4].biasName == "\(prefix)layers.0.fc1.bias")
        }
    }

    @Test func gpt2MarksConv1DWeightsAsTransposed() throws {
        for prefix in ["", "transformer."] {
            let layout = try layout(TinyModels.gpt2Config, TinyModels.gpt2Tensors(prefix: prefix))
            #expect(layout.prefix == prefix)
            #expect(layout.linears.prefix(4).map(\.name) == ["0.attn.c_attn", "0.attn.c_proj", "0.mlp.c_fc", "0.mlp.c_proj"])
            #expect(layout.linears.prefix(4).map(\.shape) == [[24, 8], [8, 8], [32, 8], [8, 32]])
            #expect(layout.linears.prefix(4).map(\.storedShape) == [[8, 24], [8, 8], [8, 32], [32, 8]])
            #expect(layout.linears.allSatisfy { $0.storedTransposed })
        }
    }

    @Test func unrecognizedNamesListTheTriedPrefixes() throws {
        #expect(throws: CheckpointError.unrecognizedTensorNames(directory: "m", modelType: "opt",
                                                               probe: "layers.0.self_attn.q_proj.weight",
                                                               prefixes: ["model.decoder.", "decoder."])) {
            try layout(TinyModels.optConfig, TinyModels.optTensors(prefix: "opt."))
        }
    }

    @Test func missingBlockTensorIsNamed() throws {
        let tensors = TinyModels.llamaTensors().filter { $0.0 != "model.layers.1.mlp.up_proj.weight" }
        #expect(throws: CheckpointError.missingLayerTensor(directory: "m", tensor: "model.layers.1.mlp.up_proj.weight")) {
            try layout(TinyModels.llamaConfig, tensors)
        }
    }

    @Test func shapeThatContradictsTheConfigIsNamed() throws {
        // The config says 2 kv heads of size 2 (k_proj [4, 8]); a file without GQA has [8, 8].
        let tensors = TinyModels.llamaTensors().map { $0.0.hasSuffix("k_proj.weight") ? ($0.0, [8, 8]) : $0 }
        #expect(throws: CheckpointError.unexpectedShape(directory: "m", tensor: "model.layers.0.self_attn.k_proj.weight",
                                                       expected: [4, 8], actual: [8, 8])) {
            try layout(TinyModels.llamaConfig, tensors)
        }
    }

    @Test func moreBlocksInTheConfigThanInTheFile() throws {
        let config = TinyModels.bertConfig.replacingOccurrences(of: #""num_hidden_layers":2"#, with: #""num_hidden_layers":3"#)
        #expect(throws: CheckpointError.missingLayerTensor(directory: "m", tensor: "encoder.layer.2.attention.self.query.weight")) {
            try layout(config, TinyModels.bertTensors())
        }
    }
}
