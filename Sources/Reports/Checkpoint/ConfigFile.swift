import Foundation
import ModelKit

/// The `config.json` an exported folder starts from, and the tokenizer files it needs: a Hugging Face source's own
/// (kept key for key, its side files copied), or for a GGUF source the config and tokenizer its metadata stands for.
enum ConfigFile {
    static func read(_ checkpoint: Checkpoint) throws -> [String: Any] {
        if let gguf = checkpoint.gguf { return try gguf.huggingFaceConfig() }
        let url = checkpoint.directory.appendingPathComponent("config.json")
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
                throw ExportFailure.mismatch("\(url.path) is not a JSON object")
            }
            return object
        } catch let failure as ExportFailure { throw failure } catch {
            throw ExportFailure.io(path: url.path, reason: ErrorWords.describe(error))
        }
    }

    /// Files a GGUF source needs written beside the weights (a Hugging Face source's are copied instead).
    static func generatedFiles(_ checkpoint: Checkpoint) throws -> [String: Data] {
        guard let gguf = checkpoint.gguf else { return [:] }
        let (tokenizer, config) = try Tokenizer.huggingFaceFiles(ggufMetadata: gguf.metadata, file: gguf.url.path)
        return ["tokenizer.json": tokenizer, "tokenizer_config.json": config]
    }
}
