import ModelKit

/// One tensor of an exported model.
struct ExportTensor {
    let name: String
    let shape: [Int]
    let data: TensorData
}

/// A format's quantized layout: what it refuses, the tensors it writes for a layer (in place of the layer's
/// weight; a bias stays as the checkpoint has it), and its `quantization_config`.
protocol QuantizedFormat {
    /// The layout for `layers`; throws the refusal for the first layer (or combination of layers) the format
    /// cannot hold exactly.
    init(layers: [ExportLayer]) throws(ExportRefusal)
    func tensors(for layer: ExportLayer) throws -> [ExportTensor]
    /// The config entry, given the layers written quantized and every other linear (written as plain weights).
    func quantizationConfig(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> [String: Any]
}

/// The quantized layout of each Hugging Face format.
enum QuantizedFormats {
    /// The layout of `format` for `layers`; nil for `dense`, which writes plain weights only.
    static func writer(for format: CheckpointFormat, layers: [ExportLayer]) throws -> (any QuantizedFormat)? {
        switch format {
        case .dense: nil
        case .gptq: try GPTQFormat(layers: layers)
        case .compressedTensors: try CompressedTensorsFormat(layers: layers)
        case .aqlm: try AQLMFormat(layers: layers)
        case .gguf: throw ExportFailure.mismatch("GGUF is one file, written by GGUFExport")
        }
    }
}

/// The modules a format's "leave these alone" list names.
enum OtherModules {
    /// The unquantized linears, and every module with a 2-D weight outside the blocks (lm_head, a pooler, the
    /// embeddings), with lm_head named even when it is tied to the embedding: sorted module names.
    static func names(plain: [LinearLayer], checkpoint: Checkpoint) -> [String] {
        let blockWeights = Set(checkpoint.linearLayers.map(\.tensorName))
        let outside = checkpoint.tensors.filter { $0.shape.count == 2 && $0.name.hasSuffix(".weight") && !blockWeights.contains($0.name) }
            .map { String($0.name.dropLast(7)) }
        return Array(Set(plain.map(\.moduleName) + outside + ["lm_head"])).sorted()
    }
}
