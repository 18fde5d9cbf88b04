import Foundation

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

    /// The module's weight `[out, in]` row-major, as the format's loader computes it (in F32).
    func dequantize(_ module: PackedModule, parts p: PackedParts) throws -> [Float] {
        let (rows, cols) = (module.shape[0], module.shape[1])
        switch self {
        case let .gptq(base, overrides, version2):
            let range = NSRange(module.name.startIndex..., in: module.name)
            let bits = overrides.first { $0.pattern.firstMatch(in: module.name, range: range) != nil }?.bits ?? base
            let qweight = try p.ints("qweight"), qzeros = try p.ints("qzeros"), scales = try p.floats("scales"), gIdx = try p.ints("g_idx")
            let words = cols * bits / 32, zeroWords = rows * bits / 32, groups = scales.count / max(rows, 1)
            guard cols * bits % 32 == 0, qweight.count == words * rows, scales.count == groups * rows, qzeros.count == groups * zeroWords,
                  gIdx.count == cols, gIdx.allSatisfy({ (0..<groups).contains($0) }) else {
                throw p.fault("qweight, qzeros, scales and g_idx do not fit a \(rows)×\(cols) weight at \(bits) bits")
            }
            let zeros = (0..<groups).flatMap { g in
                BitStream.unpack((0..<zeroWords).map { UInt32(truncatingIfNeeded: qzeros[g * zeroWords + $0]) }, count: rows, bits: bits)
                    .map { Float($0) + (version2 ? 0 : 1) }
            }
            var w = [Float](repeating: 0, count: rows * cols)
            for o in 0..<rows {
                let codes = BitStream.unpack((0..<words).map { UInt32(truncatingIfNeeded: qweight[$0 * rows + o]) }, count: cols, bits: bits)
                for i in 0..<cols {
                    let g = gIdx[i] * rows + o
                    w[o * cols + i] = scales[g] * (Float(codes[i]) - zeros[g])
                }
            }
            return w
        case let .compressedTensors(bits, symmetric, groupSize):
            let packed = try p.ints("weight_packed"), scales = try p.floats("weight_scale")
            let words = (cols * bits + 31) / 32, groups = scales.count / max(rows, 1)
            let size = groupSize ?? cols
            guard packed.count == rows * words, scales.count == rows * groups, size > 0, (cols + size - 1) / size == groups else {
                throw p.fault("weight_packed and weight_scale do not fit a \(rows)×\(cols) weight at \(bits) bits")
            }
            var zeros = [Float](repeating: Float(1 << (bits - 1)), count: rows * groups)
            if !symmetric {
                let z = try p.ints("weight_zero_point"), zw = (rows * bits + 31) / 32
                guard z.count == zw * groups else { throw p.fault("weight_zero_point does not fit \(rows) rows × \(groups) groups") }
                for g in 0..<groups {
                    let column = BitStream.unpack((0..<zw).map { UInt32(truncatingIfNeeded: z[$0 * groups + g]) }, count: rows, bits: bits)
                    for r in 0..<rows { zeros[r * groups + g] = Float(column[r]) }
                }
            }
            var w = [Float](repeating: 0, count: rows * cols)
            for r in 0..<rows {
                let codes = BitStream.unpack((0..<words).map { UInt32(truncatingIfNeeded: packed[r * words + $0]) }, count: cols, bits: bits)
                for c in 0..<cols {
                    let g = r * groups + c / size
                    w[r * cols + c] = scales[g] * (Float(codes[c]) - zeros[g])
                }
            }
            return w
        case let .aqlm(bits):
            let codes = try p.ints("codes"), books = try p.floats("codebooks"), scales = try p.floats("scales")
            let c = try p.shape("codes"), b = try p.shape("codebooks")
            let (m, size, g) = (c[2], b[1], b[3])
            guard b[0] == m, size == 1 << bits, scales.count == rows, codes.count == rows * c[1] * m else {
                throw p.fault("codes, codebooks and scales do not fit \(m) codebooks of \(1 << bits) entries for \(rows) rows")
            }
            var w = [Float](repeating: 0, count: rows * cols)
            for o in 0..<rows {
                for j in 0..<c[1] {
                    for k in 0..<m {
                        let code = ((codes[(o * c[1] + j) * m + k] % size) + size) % size
                        let base = (k * size + code) * g
                        for t in 0..<g { w[o * cols + j * g + t] += books[base + t] }
                    }
                    for t in 0..<g { w[o * cols + j * g + t] *= scales[o] }
                }
            }
            return w
        }
    }
}
