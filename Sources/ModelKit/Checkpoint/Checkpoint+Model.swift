import Foundation
extension Checkpoint {
    /// The checkpoint's tokenizer: `tokenizer.json` in the model folder, or the one a GGUF file's metadata holds.
    /// Throws when the tokenizer gives ids the model has no embedding for (a tokenizer of another model).
    public func loadTokenizer() throws -> Tokenizer {
        let source = gguf?.url.path ?? directory.appendingPathComponent("tokenizer.json").path
        let tokenizer = try gguf.map { try Tokenizer(gguf: $0) } ?? Tokenizer(contentsOf: URL(fileURLWithPath: source))
        func fault(_ reason: String) -> TokenizerError { TokenizerError(file: source, fault: .malformed(reason: reason)) }
        guard let ids = tokenizer.idRange else { throw fault("the vocabulary is empty") }
        guard ids.lowerBound >= 0 else { throw fault("token id \(ids.lowerBound) is negative") }
        guard ids.upperBound < config.vocabSize else {
            throw fault("its ids reach \(ids.upperBound), but the model's vocabulary (vocab_size) has \(config.vocabSize) tokens: "
                        + "a tokenizer of another model")
        }
        return tokenizer
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
