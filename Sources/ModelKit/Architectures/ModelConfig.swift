import Foundation

/// A checkpoint's `config.json`, typed per architecture: the fields the forward passes need.
///
/// ```swift
/// let config = try ModelConfig.load(from: modelDirectory.appendingPathComponent("config.json"))
/// if case let .bert(bert) = config { print(bert.hiddenSize) }
/// ```
public enum ModelConfig: Sendable, Equatable {
    case bert(BertConfig)
    case llama(LlamaConfig)
    case opt(OPTConfig)
    case gpt2(GPT2Config)

    /// The `model_type` values this package reads.
    public static let supportedModelTypes = ["bert", "gpt2", "llama", "mistral", "opt", "qwen2"]

    /// Reads and parses a `config.json` file.
    public static func load(from url: URL) throws(ModelConfigError) -> ModelConfig {
        let bytes: [UInt8]
        do { bytes = try RegularFile.contents(of: url) } catch { throw .cannotRead(file: url.path, reason: error.reason) }
        return try parse(bytes, file: url.path)
    }

    /// Parses `config.json` bytes; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(ModelConfigError) -> ModelConfig {
        let json: StrictJSON
        do {
            json = try StrictJSONParser.parse(bytes)
        } catch {
            throw .invalidJSON(file: file, reason: "byte \(error.offset): \(error.reason)")
        }
        guard case .object = json else { throw .invalidJSON(file: file, reason: "the top level is not an object") }
        let fields = ConfigFields(object: json, file: file)
        guard let modelType = try fields.optionalString("model_type") else { throw .missingModelType(file: file) }
        switch modelType {
        case "bert": return .bert(try BertConfig(fields))
        case "llama", "mistral", "qwen2": return .llama(try LlamaConfig(fields, modelType: modelType))
        case "opt": return .opt(try OPTConfig(fields))
        case "gpt2": return .gpt2(try GPT2Config(fields))
        default: throw .unsupportedModelType(file: file, modelType: modelType)
        }
    }

    /// The config's `model_type`.
    public var modelType: String {
        switch self {
        case .bert: "bert"
        case let .llama(c): c.modelType
        case .opt: "opt"
        case .gpt2: "gpt2"
        }
    }

    /// Model width (`hidden_size`, GPT-2 `n_embd`).
    public var hiddenSize: Int {
        switch self {
        case let .bert(c): c.hiddenSize
        case let .llama(c): c.hiddenSize
        case let .opt(c): c.hiddenSize
        case let .gpt2(c): c.hiddenSize
        }
    }

    /// Number of transformer blocks.
    public var layerCount: Int {
        switch self {
        case let .bert(c): c.layerCount
        case let .llama(c): c.layerCount
        case let .opt(c): c.layerCount
        case let .gpt2(c): c.layerCount
        }
    }

    /// Number of attention (query) heads.
    public var headCount: Int {
        switch self {
        case let .bert(c): c.headCount
        case let .llama(c): c.headCount
        case let .opt(c): c.headCount
        case let .gpt2(c): c.headCount
        }
    }

    /// Vocabulary size.
    public var vocabSize: Int {
        switch self {
        case let .bert(c): c.vocabSize
        case let .llama(c): c.vocabSize
        case let .opt(c): c.vocabSize
        case let .gpt2(c): c.vocabSize
        }
    }
}
