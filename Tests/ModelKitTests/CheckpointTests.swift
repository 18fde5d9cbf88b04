import Foundation
import QuantCore
import Testing
@testable import ModelKit

@Suite("Checkpoint")
struct CheckpointTests {
    /// Writes the tiny Llama as three F16/BF16/F32 shards plus an index, as `save_pretrained` lays them out.
    private func writeShardedLlama(in scratch: CheckpointScratch) throws -> [(String, [Int])] {
        try scratch.write(text: TinyModels.llamaConfig, to: "config.json")
        let tensors = TinyModels.llamaTensors()
        let shardNames = (1...3).map { "model-0000\($0)-of-00003.safetensors" }
        let dtypes: [SafetensorsDType] = [.f16, .bf16, .f32]
        var weightMap: [String] = []
        for shard in 0..<3 {
            var writer = SafetensorsWriter(metadata: ["format": "pt"])
            for (t, (name, shape)) in tensors.enumerated() where t % 3 == shard {
                let floats = TinyModels.values(forTensor: t, count: shape.reduce(1, *))
                let data: TensorData = switch dtypes[shard] {
                case .f16: .f16(floats.map(Float16.init))
                case .bf16: .bf16(floats)
                default: .f32(floats)
                }
                try writer.add(name, shape: shape, data: data)
                weightMap.append("\"\(name)\":\"\(shardNames[shard])\"")
            }
            try writer.write(to: scratch.file(shardNames[shard]))
        }
        try scratch.write(text: #"{"metadata":{"total_size":1234},"weight_map":{\#(weightMap.joined(separator: ","))}}"#,
                          to: Checkpoint.indexFileName)
        return tensors
    }

    @Test func opensASingleFileModel() throws {
        let scratch = try CheckpointScratch()
        let tensors = TinyModels.bertTensors()
        try TinyModels.singleFileFolder(in: scratch, config: TinyModels.bertConfig, tensors: tensors)
        let checkpoint = try Checkpoint(directory: scratch.url)
        #expect(!checkpoint.isSharded && checkpoint.fileURLs.count == 1)
        #expect(checkpoint.config.modelType == "bert")
        #expect(checkpoint.tensors.map(\.name) == tensors.map(\.0).sorted())
        #expect(try checkpoint.info("embeddings.word_embeddings.weight").shape == [10, 8])
        #expect(checkpoint.linearLayers.count == 12)
        let index = try #require(tensors.firstIndex { $0.0 == "encoder.layer.1.intermediate.dense.weight" })
        let w = try checkpoint.loadLinearWeight("1.intermediate.dense")
        #expect(w.shape == [16, 8])
        #expect(w.storage == TinyModels.values(forTensor: index, count: 128))
        #expect(try checkpoint.loadLinearWeight("encoder.layer.1.intermediate.dense.weight") == w)
        #expect(try checkpoint.doubleMatrix("encoder.layer.1.intermediate.dense.weight") == w.converted(to: Double.self))
    }

    @Test func opensAShardedModelAndWidensEachShardsDType() throws {
        let scratch = try CheckpointScratch()
        let tensors = try writeShardedLlama(in: scratch)
        let checkpoint = try Checkpoint(directory: scratch.url)
        #expect(checkpoint.isSharded && checkpoint.fileURLs.count == 3)
        #expect(checkpoint.tensors.count == tensors.count)
        #expect(checkpoint.linearLayers.map(\.shape) == [[8, 8], [4, 8], [4, 8], [8, 8], [12, 8], [12, 8], [8, 12]] + [[8, 8], [4, 8], [4, 8], [8, 8], [12, 8], [12, 8], [8, 12]])
        for (t, (name, shape)) in tensors.enumerated() {
            let expected = TinyModels.values(forTensor: t, count: shape.reduce(1, *))
            let rounded: [Float] = switch t % 3 {
            case 0: expected.map { Float(Float16($0)) }
            case 1: expected.map { Float(bitPattern: UInt32(TensorData.bfloat16Bits($0)) << 16) }
            default: expected
            }
            #expect(try checkpoint.floats(name) == rounded, "tensor \(name)")
            #expect(try checkpoint.info(name).dtype == [.f16, .bf16, .f32][t % 3])
        }
    }

    @Test func gpt2LinearWeightsLoadTransposed() throws {
        let scratch = try CheckpointScratch()
        let tensors = TinyModels.gpt2Tensors()
        try TinyModels.singleFileFolder(in: scratch, config: TinyModels.gpt2Config, tensors: tensors)
        let checkpoint = try Checkpoint(directory: scratch.url)
        let stored = try checkpoint.matrix("h.0.attn.c_attn.weight")
        let w = try checkpoint.loadLinearWeight("0.attn.c_attn")
        #expect(stored.shape == [8, 24] && w.shape == [24, 8])
        #expect(w == stored.transposed)
        #expect(w[5, 3] == stored[3, 5])
    }

    @Test func tensorMissingFromTheIndexNamesTheIndex() throws {
        let scratch = try CheckpointScratch()
        _ = try writeShardedLlama(in: scratch)
        let checkpoint = try Checkpoint(directory: scratch.url)
        let index = scratch.file(Checkpoint.indexFileName).path
        #expect(!checkpoint.contains("model.layers.9.mlp.up_proj.weight"))
        #expect(throws: CheckpointError.tensorNotFound(source: index, tensor: "model.layers.9.mlp.up_proj.weight")) {
            try checkpoint.matrix("model.layers.9.mlp.up_proj.weight")
        }
        #expect(throws: CheckpointError.unknownLinearLayer(directory: scratch.url.path, name: "9.mlp.up_proj")) {
            try checkpoint.loadLinearWeight("9.mlp.up_proj")
        }
    }

    @Test func missingShardIsNamed() throws {
        let scratch = try CheckpointScratch()
        _ = try writeShardedLlama(in: scratch)
        try FileManager.default.removeItem(at: scratch.file("model-00002-of-00003.safetensors"))
        #expect(throws: CheckpointError.missingShard(index: scratch.file(Checkpoint.indexFileName).path,
                                                     shard: "model-00002-of-00003.safetensors")) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test func indexEntryPointingAtTheWrongShardIsNamed() throws {
        let scratch = try CheckpointScratch()
        _ = try writeShardedLlama(in: scratch)
        let indexURL = scratch.file(Checkpoint.indexFileName)
        let text = try String(contentsOf: indexURL, encoding: .utf8)
        try scratch.write(text: text.replacingOccurrences(of: #""model.norm.weight":"model-00002-of-00003.safetensors""#,
                                                          with: #""model.norm.weight":"model-00003-of-00003.safetensors""#),
                          to: Checkpoint.indexFileName)
        #expect(throws: CheckpointError.tensorMissingFromShard(index: indexURL.path, tensor: "model.norm.weight",
                                                               shard: "model-00003-of-00003.safetensors")) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test func brokenIndexIsATypedError() throws {
        let scratch = try CheckpointScratch()
        try scratch.write(text: TinyModels.llamaConfig, to: "config.json")
        let indexURL = try scratch.write(text: #"{"metadata":{"total_size":10}}"#, to: Checkpoint.indexFileName)
        #expect(throws: CheckpointError.invalidIndex(file: indexURL.path, reason: "no 'weight_map' object")) {
            try Checkpoint(directory: scratch.url)
        }
        try scratch.write(text: #"{"weight_map":{"a":3}}"#, to: Checkpoint.indexFileName)
        #expect(throws: CheckpointError.invalidIndex(file: indexURL.path, reason: "the shard of 'a' is not a file name")) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test func missingFilesAreNamed() throws {
        let scratch = try CheckpointScratch()
        #expect(throws: CheckpointError.missingConfig(directory: scratch.url.path)) { try Checkpoint(directory: scratch.url) }
        try scratch.write(text: TinyModels.bertConfig, to: "config.json")
        #expect(throws: CheckpointError.noWeights(directory: scratch.url.path, hasPyTorchBin: false)) {
            try Checkpoint(directory: scratch.url)
        }
        try scratch.write([0x50, 0x4B], to: "pytorch_model.bin")
        let error = CheckpointError.noWeights(directory: scratch.url.path, hasPyTorchBin: true)
        #expect(throws: error) { try Checkpoint(directory: scratch.url) }
        #expect(error.description.contains("must be converted to safetensors"))
        let notAFolder = scratch.file("config.json")
        #expect(throws: CheckpointError.notADirectory(path: notAFolder.path)) { try Checkpoint(directory: notAFolder) }
    }

    @Test func faultsInsideFilesKeepTheirOwnErrors() throws {
        let scratch = try CheckpointScratch()
        try scratch.write(text: #"{"model_type":"t5"}"#, to: "config.json")
        #expect(throws: ModelConfigError.unsupportedModelType(file: scratch.file("config.json").path, modelType: "t5")) {
            try Checkpoint(directory: scratch.url)
        }
        try scratch.write(text: TinyModels.bertConfig, to: "config.json")
        let weights = try scratch.write([4, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), to: Checkpoint.singleFileName)
        #expect(throws: SafetensorsError.headerTruncated(file: weights.path, length: 4, fileSize: 10)) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test func wrongArchitectureForTheTensorsIsReported() throws {
        let scratch = try CheckpointScratch()
        try TinyModels.singleFileFolder(in: scratch, config: TinyModels.gpt2Config, tensors: TinyModels.bertTensors())
        #expect(throws: CheckpointError.unrecognizedTensorNames(directory: scratch.url.path, modelType: "gpt2",
                                                               probe: "h.0.attn.c_attn.weight", prefixes: ["transformer.", ""])) {
            try Checkpoint(directory: scratch.url)
        }
    }
}
