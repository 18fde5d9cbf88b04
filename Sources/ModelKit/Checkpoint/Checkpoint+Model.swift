extension Checkpoint {
    /// The checkpoint's tokenizer: `tokenizer.json` in the model folder, or the one a GGUF file's metadata holds.
    public func loadTokenizer() throws -> Tokenizer {
        if let gguf { return try Tokenizer(gguf: gguf) }
        return try Tokenizer(contentsOf: directory.appendingPathComponent("tokenizer.json"))
    }
}

extension Checkpoint {
    /// What the quantized model is compared with: `FP32` for safetensors (widened to fp32 as read), and for a
    /// GGUF file its dequantized weights, named by the type most linear weights are stored in (`GGUF Q4_1`).
    public var referenceLabel: String {
        guard case .gguf = format else { return "FP32" }
        let types = linearLayers.compactMap { try? info($0.tensorName).storedType }
        let common = Dictionary(grouping: types, by: { $0 }).max { $0.value.count < $1.value.count }?.key
        return "GGUF" + (common.map { " \($0)" } ?? "")
    }
}
