import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// `--format gptq`: the tensors and config a GPTQ loader reads, and what it refuses.
@Suite struct GPTQExportTests {
    func config(_ out: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        return object["quantization_config"] as! [String: Any]
    }

    @Test func writesPackedLayersAndListsTheOthersAsSkipped() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        var layers = try f.layers(bits: 4, groupSize: 32, where: { $0.block == 0 })
        let eight = try f.layers(bits: 8, groupSize: 32, where: { $0.name == "0.mlp.down_proj" })
        layers.merge(eight) { _, new in new }
        let out = f.scratch.appendingPathComponent("gptq")
        let result = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .gptq))
        #expect(result.quantized == layers.count && result.untouched == f.checkpoint.linearLayers.count - layers.count)
        let file = try SafetensorsFile(url: out.appendingPathComponent(Checkpoint.singleFileName))
        let q = "model.layers.0.self_attn.q_proj"
        #expect(try file.info(q + ".qweight").shape == [64 * 4 / 32, 64] && file.info(q + ".qweight").dtype == .i32)
        #expect(try file.info(q + ".scales").dtype == .f16 && file.info(q + ".g_idx").shape == [64])
        #expect(!file.contains(q + ".weight") && file.contains("model.layers.1.self_attn.q_proj.weight"))
        let c = try config(out)
        #expect(c["quant_method"] as? String == "gptq" && c["bits"] as? Int == 4 && c["group_size"] as? Int == 32)
        #expect(c["checkpoint_format"] as? String == "gptq_v2" && c["sym"] as? Bool == false && c["desc_act"] as? Bool == false)
        let dynamic = c["dynamic"] as! [String: Any]
        #expect((dynamic["+:^model\\.layers\\.0\\.mlp\\.down_proj$"] as? [String: Any])?["bits"] as? Int == 8)
        #expect(dynamic["-:^model\\.layers\\.1\\.self_attn\\.q_proj$"] != nil)
        #expect(dynamic.count == 1 + 7)
    }

    @Test func symmetricGridsAreWrittenAsVersion1() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let out = f.scratch.appendingPathComponent("gptq")
        _ = try CheckpointExport.export(layers: try f.layers(bits: 4, groupSize: 32, symmetric: true), checkpoint: f.checkpoint, out: out,
                                        options: ExportOptions(format: .gptq))
        let c = try config(out)
        #expect(c["checkpoint_format"] as? String == "gptq" && c["sym"] as? Bool == true && c["dynamic"] == nil)
        let zeros = try SafetensorsFile(url: out.appendingPathComponent(Checkpoint.singleFileName)).bytes("model.layers.0.mlp.up_proj.qzeros")
        #expect(zeros.allSatisfy { $0 == 0x77 }, "zero 8 stored as 7 in every nibble")
    }

    @Test func refusesWhatItCannotHoldAndSaysWhatWorks() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let out = f.scratch.appendingPathComponent("gptq")
        let five = try f.layers(bits: 5, groupSize: 32, where: { $0.block == 0 })
        let refusal = #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: five, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .gptq))
        }
        #expect(refusal?.description.contains("5-bit") == true && refusal?.instead.contains("gguf") == true)

        var outlier = try f.layers(bits: 4, groupSize: 32, where: { $0.block == 0 })
        var layer = outlier["0.self_attn.q_proj"]!
        layer.outliers = SparseOutliers(entries: [.init(index: 3, value: 0.5)])
        outlier["0.self_attn.q_proj"] = layer
        let refused = #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: outlier, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .gptq))
        }
        #expect(refused?.instead.contains("--outliers dense-layers") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.scratch.path).isEmpty)

        let kept = try CheckpointExport.export(layers: outlier, checkpoint: f.checkpoint, out: out,
                                               options: ExportOptions(format: .gptq, outliers: .denseLayers))
        #expect(kept.dense == ["0.self_attn.q_proj"] && kept.quantized == outlier.count - 1)
        let file = try SafetensorsFile(url: out.appendingPathComponent(Checkpoint.singleFileName))
        #expect(try file.floats("model.layers.0.self_attn.q_proj.weight") == layer.dequantized().storage)
        #expect(((try config(out))["dynamic"] as! [String: Any])["-:^model\\.layers\\.0\\.self_attn\\.q_proj$"] != nil)
    }
}
