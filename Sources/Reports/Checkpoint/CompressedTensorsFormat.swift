import ModelKit
import QuantCore

/// compressed-tensors' `pack-quantized` layout (llm-compressor; transformers and vLLM load it): per layer
/// `weight_packed` `[out, ⌈in·b/32⌉]` (the codes, which are the signed values + 2^(b−1)), `weight_scale`
/// `[out, G]`, `weight_shape`, and for asymmetric grids `weight_zero_point` packed along the output dimension;
/// in `config.json` one scheme for every quantized layer and an `ignore` list of the others.
struct CompressedTensorsFormat: QuantizedFormat {
    /// The widths whose packing every release reads alike (3, 5, 6 and 7 bits changed between releases).
    static let bitWidths = CompressedTensorsPacking.bitWidths
    let scheme: GPTQFormat.Scheme

    init(layers: [ExportLayer]) throws(ExportRefusal) {
        var first: GPTQFormat.Scheme?
        for e in layers {
            guard let grid = e.grid else {
                throw ExportRefusal(.compressedTensors, layer: e.linear.name, "an additive-codebook (AQLM) layer has no integer grid",
                                    instead: "use --format aqlm")
            }
            guard Self.bitWidths.contains(grid.bits) else {
                throw ExportRefusal(.compressedTensors, layer: e.linear.name,
                                    "\(grid.bits)-bit codes: only 4 and 8 bits pack the same way in every compressed-tensors release",
                                    instead: "use --format gptq (2, 3, 4, 8 bits) or --format dense")
            }
            guard !grid.actOrder else {
                throw ExportRefusal(.compressedTensors, layer: e.linear.name, "groups in activation order: compressed-tensors takes static groups only",
                                    instead: "use --format gptq (g_idx keeps the order) or quantize without act order")
            }
            guard grid.integerZeros, grid.groupSize == -1 || e.layer.cols % grid.groupSize == 0 else {
                throw ExportRefusal(.compressedTensors, layer: e.linear.name, "the grid's zero points or groups do not fit the format",
                                    instead: "use --format dense")
            }
            let scheme = GPTQFormat.Scheme(grid)
            if let first, first != scheme {
                throw ExportRefusal(.compressedTensors, layer: e.linear.name,
                                    "its grid (\(scheme.bits) bits, group \(scheme.groupSize)\(scheme.symmetric ? ", symmetric" : "")) differs from the "
                                    + "first layer's (\(first.bits) bits, group \(first.groupSize)\(first.symmetric ? ", symmetric" : "")), and checkpoints with two schemes do not load",
                                    instead: "use --format gptq (per-layer schemes through 'dynamic')")
            }
            first = scheme
            try FP16Scales.check(e.layer.grid.scales, format: .compressedTensors, layer: e.linear.name)
        }
        scheme = first ?? GPTQFormat.Scheme(bits: 4, groupSize: 128, actOrder: false, symmetric: true)
    }

    func tensors(for e: ExportLayer) throws -> [ExportTensor] {
        let grid = e.layer.grid
        let t = try CompressedTensorsPacking.pack(codes: e.layer.codes, scales: grid.scales, zeros: grid.zeros, groupIndex: grid.groupIndex,
                                                  rows: e.layer.rows, cols: e.layer.cols, bits: grid.bits, symmetric: scheme.symmetric)
        var out = [
            ExportTensor(name: e.moduleName + ".weight_packed", shape: t.weightPackedShape, data: .i32(t.weightPacked)),
            ExportTensor(name: e.moduleName + ".weight_scale", shape: t.weightScaleShape, data: .f16(t.weightScale.map { Float16($0) })),
            ExportTensor(name: e.moduleName + ".weight_shape", shape: [2], data: .i64(t.weightShape)),
        ]
        if let zeros = t.weightZeroPoint {
            out.append(ExportTensor(name: e.moduleName + ".weight_zero_point", shape: t.weightZeroPointShape, data: .i32(zeros)))
        }
        return out
    }

    func quantizationConfig(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> [String: Any] {
        var weights: [String: Any] = [
            "num_bits": scheme.bits, "type": "int", "symmetric": scheme.symmetric, "dynamic": false,
            "strategy": scheme.groupSize == -1 ? "channel" : "group", "observer": "minmax",
        ]
        if scheme.groupSize != -1 { weights["group_size"] = scheme.groupSize }
        let ignore = OtherModules.names(plain: plain, checkpoint: checkpoint)
        return [
            "quant_method": "compressed-tensors",
            "format": "pack-quantized",
            "quantization_status": "compressed",
            "config_groups": ["group_0": ["targets": ["Linear"], "weights": weights]],
            "ignore": ignore,
        ]
    }
}
