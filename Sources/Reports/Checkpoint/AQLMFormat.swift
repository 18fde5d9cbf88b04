import ModelKit
import QuantCore

/// The AQLM layout (transformers `AqlmConfig` with the `aqlm` kernels): per layer `codes`
/// `[out, in/g, M]` (int8 up to 8-bit codebooks, int16 above; codes of 2^(B−1) and more stored less 2^B, as
/// aqlm's `pack_int_data` does), `codebooks` `[M, 2^B, 1, g]` and `scales` `[out, 1, 1, 1]` in the checkpoint's
/// dtype; in `config.json` the one scheme and the modules left unquantized.
struct AQLMFormat: QuantizedFormat {
    let codebooks: Int
    let bits: Int
    let groupSize: Int

    init(layers: [ExportLayer]) throws(ExportRefusal) {
        var scheme: (Int, Int, Int)?
        for e in layers {
            guard let c = e.layer.codebooks else {
                throw ExportRefusal(.aqlm, layer: e.linear.name, "a layer on a uniform grid is not an additive-codebook layer",
                                    instead: "use --format gptq, compressed-tensors or gguf for grid layers")
            }
            guard c.bits <= AQLMLayout.maxBits else {
                throw ExportRefusal(.aqlm, layer: e.linear.name, "\(c.bits)-bit codebooks: aqlm stores codes in at most 16 bits", instead: "use --format dense")
            }
            if let s = scheme, s != (c.codebookCount, c.bits, c.groupSize) {
                throw ExportRefusal(.aqlm, layer: e.linear.name, "its scheme \(c.scheme) differs from the first layer's \(s.0)x\(s.1)g\(s.2), and AqlmConfig holds one",
                                    instead: "use --format dense")
            }
            scheme = (c.codebookCount, c.bits, c.groupSize)
        }
        (codebooks, bits, groupSize) = scheme ?? (1, 16, 8)
    }

    func tensors(for e: ExportLayer) throws -> [ExportTensor] {
        let t = try AQLMLayout.tensors(e.layer.codebooks!)
        let codes: TensorData = switch t.codes {
        case let .int8(v): .i8(v)
        case let .int16(v): .i16(v)
        }
        return [
            ExportTensor(name: e.moduleName + ".codes", shape: t.codesShape, data: codes),
            ExportTensor(name: e.moduleName + ".codebooks", shape: t.codebooksShape, data: try PlainTensor.data(t.codebooks, like: e.weightInfo)),
            ExportTensor(name: e.moduleName + ".scales", shape: t.scalesShape, data: try PlainTensor.data(t.scales, like: e.weightInfo)),
        ]
    }

    func quantizationConfig(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> [String: Any] {
        [
            "quant_method": "aqlm",
            "num_codebooks": codebooks,
            "nbits_per_codebook": bits,
            "in_group_size": groupSize,
            "out_group_size": 1,
            // Module names: `lm_head.weight` here would leave lm_head half-converted (NaN logits in transformers).
            "linear_weights_not_to_quantize": OtherModules.names(plain: plain, checkpoint: checkpoint),
        ]
    }
}
