import Foundation
import QuantCore

/// The packed format a checkpoint's `quantization_config` names, with what its loaders need to dequantize.
enum PackedScheme {
    /// GPTQ: the base bit width, per-module widths from `dynamic`, and whether zeros are stored true (v2) or less one (v1).
    case gptq(bits: Int, overrides: [(pattern: NSRegularExpression, bits: Int)], version2: Bool)
    /// compressed-tensors `pack-quantized`: one scheme.
    case compressedTensors(bits: Int, symmetric: Bool, groupSize: Int?)
    /// AQLM: `nbits_per_codebook` (the codes are taken modulo 2^B, as aqlm's `unpack_int_data` does).
    case aqlm(bits: Int)

    /// Reads `quantization_config` from `config`; nil when it has none or names a method whose weights are plain.
    init?(config url: URL, directory: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any],
              let q = object["quantization_config"] as? [String: Any], let method = q["quant_method"] as? String else { return nil }
        func fault(_ why: String) -> CheckpointError { .packedWeights(directory: directory, reason: "quantization_config: \(why)") }
        switch method {
        case "gptq":
            guard let bits = q["bits"] as? Int, [2, 3, 4, 8].contains(bits) else { throw fault("GPTQ bits must be 2, 3, 4 or 8") }
            let format = q["checkpoint_format"] as? String ?? "gptq"
            guard format == "gptq" || format == "gptq_v2" else { throw fault("checkpoint_format \(format) is not gptq or gptq_v2") }
            var overrides: [(NSRegularExpression, Int)] = []
            for (key, value) in q["dynamic"] as? [String: Any] ?? [:] where !key.hasPrefix("-:") {
                guard let b = (value as? [String: Any])?["bits"] as? Int else { continue }
                let pattern = key.hasPrefix("+:") ? String(key.dropFirst(2)) : key
                guard let regex = try? NSRegularExpression(pattern: pattern) else { throw fault("dynamic key \(key) is not a regular expression") }
                overrides.append((regex, b))
            }
            self = .gptq(bits: bits, overrides: overrides, version2: format == "gptq_v2")
        case "compressed-tensors":
            guard q["format"] as? String == "pack-quantized" else { return nil }
            guard let groups = q["config_groups"] as? [String: Any], groups.count == 1,
                  let weights = (groups.values.first as? [String: Any])?["weights"] as? [String: Any],
                  let bits = weights["num_bits"] as? Int, (1...8).contains(bits) else {
                throw fault("pack-quantized needs one config group with integer weights of 1 to 8 bits")
            }
            self = .compressedTensors(bits: bits, symmetric: weights["symmetric"] as? Bool ?? true, groupSize: weights["group_size"] as? Int)
        case "aqlm":
            guard let bits = q["nbits_per_codebook"] as? Int, (1...16).contains(bits), (q["out_group_size"] as? Int ?? 1) == 1 else {
                throw fault("AQLM is read with out_group_size 1 and 1 to 16 bits per codebook")
            }
            self = .aqlm(bits: bits)
        default:
            return nil
        }
    }

    /// What the checkpoint holds, e.g. `GPTQ 4-bit (gptq_v2)`.
    var label: String {
        switch self {
        case let .gptq(bits, overrides, version2): "GPTQ \(bits)-bit\(overrides.isEmpty ? "" : " (other widths per layer)") (\(version2 ? "gptq_v2" : "gptq"))"
        case let .compressedTensors(bits, symmetric, groupSize):
            "compressed-tensors pack-quantized \(bits)-bit\(symmetric ? " symmetric" : "")\(groupSize.map { ", groups of \($0)" } ?? "")"
        case let .aqlm(bits): "AQLM, \(bits)-bit codebooks"
        }
    }

    /// The part whose presence marks a packed module.
    var marker: String {
        switch self {
        case .gptq: "qweight"
        case .compressedTensors: "weight_packed"
        case .aqlm: "codes"
        }
    }

    /// Every part of a packed module.
    var parts: [String] {
        switch self {
        case .gptq: ["qweight", "qzeros", "scales", "g_idx"]
        case .compressedTensors: ["weight_packed", "weight_scale", "weight_zero_point", "weight_shape"]
        case .aqlm: ["codes", "codebooks", "scales"]
        }
    }

    /// `[out, in]` of the module's weight.
    func weightShape(_ p: PackedParts) throws -> [Int] {
        switch self {
        case .gptq:
            let q = try p.shape("qweight"), g = try p.shape("g_idx")
            guard q.count == 2, g.count == 1 else { throw p.fault("qweight must be 2-D and g_idx 1-D") }
            return [q[1], g[0]]
        case .compressedTensors:
            let s = try p.ints("weight_shape")
            guard s.count == 2, s.allSatisfy({ $0 > 0 }) else { throw p.fault("weight_shape must hold [out, in]") }
            return s
        case .aqlm:
            let c = try p.shape("codes"), b = try p.shape("codebooks")
            guard c.count == 3, b.count == 4, b[2] == 1 else { throw p.fault("codes must be [out, in/g, M] and codebooks [M, 2^B, 1, g]") }
            return [c[0], c[1] * b[3]]
        }
    }

    /// The module's weight `[out, in]` row-major, as the format's loader computes it (in F32): the packers'
    /// inverses give the grid or codebooks, which QuantCore decodes as it decodes quantbench's own layers.
    func dequantize(_ module: PackedModule, parts p: PackedParts) throws -> [Float] {
        let (rows, cols) = (module.shape[0], module.shape[1])
        do {
            switch self {
            case let .gptq(base, overrides, version2):
                let range = NSRange(module.name.startIndex..., in: module.name)
                let bits = overrides.first { $0.pattern.firstMatch(in: module.name, range: range) != nil }?.bits ?? base
                // Scales as fp16, as every GPTQ loader holds them.
                let scales = try p.floats("scales").map { Float16($0) }
                let t = GPTQPacking.Tensors(qweight: try p.ints("qweight").map { Int32(truncatingIfNeeded: $0) },
                                            qzeros: try p.ints("qzeros").map { Int32(truncatingIfNeeded: $0) }, scales: scales,
                                            groupIndex: try p.ints("g_idx").map { Int32(truncatingIfNeeded: $0) },
                                            rows: rows, cols: cols, groups: scales.count / max(rows, 1), bits: bits)
                let grid = try GPTQPacking.unpack(t, format: version2 ? .v2 : .v1)
                guard grid.groupIndex.allSatisfy({ (0..<t.groups).contains(Int($0)) }) else { throw p.fault("g_idx names a group beyond the \(t.groups) scales") }
                return Self.weights(rows: rows, cols: cols, bits: bits, codes: grid.codes, scales: grid.scales, zeros: grid.zeros, groupIndex: grid.groupIndex)
            case let .compressedTensors(bits, symmetric, groupSize):
                let scales = try p.floats("weight_scale")
                let groups = scales.count / max(rows, 1), size = groupSize ?? cols
                guard size > 0, (cols + size - 1) / size == groups else {
                    throw p.fault("weight_scale does not fit a \(rows)×\(cols) weight in groups of \(size)")
                }
                let t = CompressedTensorsPacking.Tensors(
                    weightPacked: try p.ints("weight_packed").map { Int32(truncatingIfNeeded: $0) }, weightScale: scales,
                    weightZeroPoint: symmetric ? nil : try p.ints("weight_zero_point").map { Int32(truncatingIfNeeded: $0) },
                    weightShape: [Int64(rows), Int64(cols)], bits: bits, groups: groups)
                let grid = try CompressedTensorsPacking.unpack(t)
                return Self.weights(rows: rows, cols: cols, bits: bits, codes: grid.codes, scales: grid.scales, zeros: grid.zeros,
                                    groupIndex: (0..<cols).map { Int32($0 / size) })
            case let .aqlm(bits):
                let c = try p.shape("codes"), b = try p.shape("codebooks"), stored = try p.ints("codes")
                guard b[0] == c[2], b[1] == 1 << bits else {
                    throw p.fault("codes, codebooks and scales do not fit \(c[2]) codebooks of \(1 << bits) entries for \(rows) rows")
                }
                let codes: AQLMLayout.StoredCodes = try p.dtype("codes") == .i8 ? .int8(stored.map { Int8(truncatingIfNeeded: $0) })
                    : .int16(stored.map { Int16(truncatingIfNeeded: $0) })
                let t = AQLMLayout.Tensors(codes: codes, codebooks: try p.floats("codebooks"), scales: try p.floats("scales"),
                                           rows: rows, cols: cols, codebookCount: c[2], bits: bits, groupSize: b[3])
                return try AQLMLayout.layer(t).decoded().storage
            }
        } catch let error as PackingError {
            throw p.fault(error.description)
        }
    }

    /// A uniform grid's weights, decoded by QuantCore.
    private static func weights(rows: Int, cols: Int, bits: Int, codes: [UInt8], scales: [Float], zeros: [Float], groupIndex: [Int32]) -> [Float] {
        let grid = QuantGrid<Float>(bits: bits, rows: rows, scales: scales, zeros: zeros, groupIndex: groupIndex)
        return QuantizedLayer(rows: rows, cols: cols, codes: codes, grid: grid).gridWeights().storage
    }
}
