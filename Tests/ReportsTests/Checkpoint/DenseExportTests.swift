import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// `--format dense` and what every model-folder export shares: the tensors, the config, the side files,
/// sharding, and the folder appearing whole or not at all.
@Suite struct DenseExportTests {
    @Test func writesEveryTensorWithTheRunsWeightsInTheCheckpointsDtype() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let layers = try f.layers()
        let out = f.scratch.appendingPathComponent("dense")
        let result = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .dense))
        #expect(result.dense.count == f.checkpoint.linearLayers.count && result.quantized == 0 && result.untouched == 0)
        let exported = try Checkpoint(directory: out)
        #expect(exported.tensors.map(\.name) == f.checkpoint.tensors.map(\.name))
        for info in f.checkpoint.tensors {
            let copy = try exported.info(info.name)
            #expect(copy.dtype == info.dtype && copy.shape == info.shape)
        }
        for linear in f.checkpoint.linearLayers {
            #expect(try exported.loadLinearWeight(linear.name) == layers[linear.name]!.dequantized())
        }
        let norm = "model.norm.weight"
        #expect(try exported.storedBytes(norm) == f.checkpoint.storedBytes(norm))
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! NSDictionary
        let source = try JSONSerialization.jsonObject(with: Data(contentsOf: ExportFixture.tinyLlama.appendingPathComponent("config.json"))) as! NSDictionary
        #expect(config == source)
    }

    @Test func shardsWithAnIndexThatTheLoaderReads() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let layers = try f.layers(where: { $0.block == 0 })
        let out = f.scratch.appendingPathComponent("sharded")
        let result = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out,
                                                 options: ExportOptions(format: .dense, shardBytes: 64 << 10))
        #expect(result.untouched == f.checkpoint.linearLayers.count - layers.count)
        let exported = try Checkpoint(directory: out)
        #expect(exported.isSharded && exported.fileURLs.count > 2)
        #expect(exported.fileURLs.map(\.lastPathComponent).allSatisfy { $0.hasSuffix("-of-0000\(exported.fileURLs.count).safetensors") })
        for linear in f.checkpoint.linearLayers {
            let expected = try layers[linear.name]?.dequantized() ?? f.checkpoint.loadLinearWeight(linear.name)
            #expect(try exported.loadLinearWeight(linear.name) == expected)
        }
    }

    @Test func refusesAnExistingFolderUnlessReplacingAndLeavesNothingHalfWritten() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let layers = try f.layers(where: { $0.block == 1 })
        let out = f.scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: out.appendingPathComponent("note.txt"))
        #expect(throws: ExportFailure.self) {
            try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .dense))
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("note.txt").path))
        _ = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .dense, replace: true))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("note.txt").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.scratch.path) == ["out"])
    }

    @Test func refusesALayerTheCheckpointDoesNotHave() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        var layers = try f.layers(where: { $0.block == 0 })
        layers["7.mlp.down_proj"] = layers.values.first
        #expect(throws: ExportFailure.self) {
            try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: f.scratch.appendingPathComponent("x"),
                                        options: ExportOptions(format: .dense))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.scratch.path).isEmpty)
    }
}
