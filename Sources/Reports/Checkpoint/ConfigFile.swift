import Foundation
import ModelKit

/// The `config.json` an exported folder starts from: the checkpoint's own, kept key for key.
enum ConfigFile {
    static func read(_ checkpoint: Checkpoint) throws -> [String: Any] {
        guard checkpoint.format == .safetensors else {
            throw ExportFailure.mismatch("\(checkpoint.location) is a GGUF file: a Hugging Face folder needs its config.json and tokenizer files, "
                                         + "which the GGUF does not have as such (export it as --format gguf)")
        }
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
}
