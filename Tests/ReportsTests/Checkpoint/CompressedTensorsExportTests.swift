import Foundation
@testable import ModelKit
import QuantCore
import Testing
@testable import Reports

/// `--format compressed-tensors`: packing word for word compressed-tensors' `pack_to_int32`
/// (`scripts/fixtures/compressed-tensors-pack.py`), the one-scheme config, and the refusals.
@Suite struct CompressedTensorsExportTests {
    struct Case: Decodable {
        let bits, rows, cols, groups: Int
        let codes, zeros, packed, packed_zeros: [Int64]
        let packed_shape, packed_zeros_shape: [Int]
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = Bundle.module.url(forResource: "Fixtures/compressed-tensors-pack", withExtension: "json")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test(arguments: cases.indices)
    func packsAsCompressedTensorsDoes(_ i: Int) throws {
        let c = Self.cases[i]
        let grid = QuantGrid<Float>(bits: c.bits, rows: c.rows, scales: [Float](repeating: 0.01, count: c.groups * c.rows),
                                    zeros: c.zeros.map(Float.init), groupIndex: (0..<c.cols).map { Int32($0 / (c.cols / c.groups)) })
        let layer = QuantizedLayer(rows: c.rows, cols: c.cols, codes: c.codes.map { UInt8($0) }, grid: grid)
        let linear = LinearLayer(name: "0.proj", tensorName: "model.layers.0.proj.weight", biasName: nil, block: 0,
                                 outFeatures: c.rows, inFeatures: c.cols, storedTransposed: false)
        let e = ExportLayer(linear: linear, layer: layer, weightInfo: TensorInfo(name: linear.tensorName, dtype: .f32, shape: [c.rows, c.cols], dataOffsets: 0..<0))
        let format = try CompressedTensorsFormat(layers: [e])
        let tensors = Dictionary(uniqueKeysWithValues: try format.tensors(for: e).map { ($0.name, $0) })
        let packed = tensors["model.layers.0.proj.weight_packed"]!, zeros = tensors["model.layers.0.proj.weight_zero_point"]!
        #expect(packed.shape == c.packed_shape && packed.data == .i32(c.packed.map { Int32(truncatingIfNeeded: $0) }))
        #expect(zeros.shape == c.packed_zeros_shape && zeros.data == .i32(c.packed_zeros.map { Int32(truncatingIfNeeded: $0) }))
        #expect(tensors["model.layers.0.proj.weight_shape"]?.data == .i64([Int64(c.rows), Int64(c.cols)]))
    }

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
