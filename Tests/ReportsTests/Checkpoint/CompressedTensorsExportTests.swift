import Foundation
@testable import ModelKit
import QuantCore
import Testing
@testable import Reports

/// `--format compressed-tensors`: the one-scheme config and the refusals (the packing itself:
/// `CompressedTensorsPackingTests`).
@Suite struct CompressedTensorsExportTests {
    @Test func writesOneSchemeAndIgnoresTheRest() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let out = f.scratch.appendingPathComponent("ct")
        _ = try CheckpointExport.export(layers: try f.layers(bits: 4, groupSize: 32, symmetric: true, where: { $0.block == 1 }),
                                        checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .compressedTensors))
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        let q = config["quantization_config"] as! [String: Any]
        #expect(q["format"] as? String == "pack-quantized" && q["quant_method"] as? String == "compressed-tensors")
        let weights = ((q["config_groups"] as! [String: Any])["group_0"] as! [String: Any])["weights"] as! [String: Any]
        #expect(weights["num_bits"] as? Int == 4 && weights["group_size"] as? Int == 32 && weights["symmetric"] as? Bool == true)
        let ignore = q["ignore"] as! [String]
        #expect(ignore.contains("lm_head") && ignore.contains("model.layers.0.mlp.down_proj") && !ignore.contains("model.layers.1.mlp.down_proj"))
        let file = try SafetensorsFile(url: out.appendingPathComponent(Checkpoint.singleFileName))
        #expect(!file.contains("model.layers.1.mlp.down_proj.weight_zero_point"), "a symmetric grid stores no zero point")
    }

    @Test func refusesTwoSchemesAndThreeBits() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let out = f.scratch.appendingPathComponent("ct")
        var mixed = try f.layers(bits: 4, groupSize: 32, where: { $0.block == 0 })
        mixed.merge(try f.layers(bits: 8, groupSize: 32, where: { $0.block == 1 })) { a, _ in a }
        let two = #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: mixed, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .compressedTensors))
        }
        #expect(two?.instead.contains("gptq") == true)
        #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: try f.layers(bits: 3, groupSize: 32), checkpoint: f.checkpoint, out: out,
                                        options: ExportOptions(format: .compressedTensors))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.scratch.path).isEmpty)
    }
}
