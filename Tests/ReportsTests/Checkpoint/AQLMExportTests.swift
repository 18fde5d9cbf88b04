import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// `--format aqlm`: codes stored as aqlm's `pack_int_data` stores them, and the one scheme it refuses to mix.
@Suite struct AQLMExportTests {
    func codebookLayer(rows: Int, cols: Int, bits: Int, codebooks: Int = 2, group: Int = 8) -> QuantizedLayer<Float> {
        let size = 1 << bits, groups = cols / group
        let codes = (0..<rows * groups * codebooks).map { UInt16(($0 * 5 + 1) % size) }
        let entries = (0..<codebooks * size * group).map { Float($0 % 7) * 0.01 - 0.03 }
        return QuantizedLayer(codebooks: AdditiveCodebooks(rows: rows, cols: cols, codebookCount: codebooks, bits: bits, groupSize: group,
                                                           codes: codes, codebooks: entries, scales: (0..<rows).map { 1 + Float($0) * 0.01 }))
    }

    @Test func storesHighCodesLessTheCodebookSizeAndListsModulesNotTensors() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        var layers: [String: QuantizedLayer<Float>] = [:]
        for linear in f.checkpoint.linearLayers where linear.block == 0 {
            layers[linear.name] = codebookLayer(rows: linear.outFeatures, cols: linear.inFeatures, bits: 4)
        }
        let out = f.scratch.appendingPathComponent("aqlm")
        _ = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .aqlm))
        let file = try SafetensorsFile(url: out.appendingPathComponent(Checkpoint.singleFileName))
        let name = "model.layers.0.self_attn.q_proj"
        let codes = try file.bytes(name + ".codes").map { Int(Int8(bitPattern: $0)) }
        let expected = layers["0.self_attn.q_proj"]!.codebooks!.codes.map { Int($0) >= 8 ? Int($0) - 16 : Int($0) }
        #expect(try file.info(name + ".codes").dtype == .i8 && codes == expected)
        #expect(try file.info(name + ".codebooks").shape == [2, 16, 1, 8] && file.info(name + ".scales").shape == [64, 1, 1, 1])
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        let q = config["quantization_config"] as! [String: Any]
        #expect(q["num_codebooks"] as? Int == 2 && q["nbits_per_codebook"] as? Int == 4 && q["in_group_size"] as? Int == 8)
        let skipped = q["linear_weights_not_to_quantize"] as! [String]
        #expect(skipped.contains("lm_head") && skipped.contains("model.layers.1.self_attn.q_proj") && !skipped.contains { $0.hasSuffix(".weight") })
    }

    @Test func refusesGridLayersAndMixedSchemes() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let out = f.scratch.appendingPathComponent("aqlm")
        #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: try f.layers(where: { $0.block == 0 }), checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .aqlm))
        }
        let q = f.checkpoint.linearLayers[0], k = f.checkpoint.linearLayers[1]
        let mixed = [q.name: codebookLayer(rows: q.outFeatures, cols: q.inFeatures, bits: 4),
                     k.name: codebookLayer(rows: k.outFeatures, cols: k.inFeatures, bits: 8)]
        #expect(throws: ExportRefusal.self) {
            try CheckpointExport.export(layers: mixed, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .aqlm))
        }
    }
}
