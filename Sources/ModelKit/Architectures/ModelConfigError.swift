/// A fault in a model's `config.json`; the message names the file and the key.
public enum ModelConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case cannotRead(file: String, reason: String)
    /// The file is not a JSON object.
    case invalidJSON(file: String, reason: String)
    /// `model_type` is absent.
    case missingModelType(file: String)
    /// `model_type` names an architecture this package has no forward pass for.
    case unsupportedModelType(file: String, modelType: String)
    /// A key the architecture needs is absent.
    case missingKey(file: String, key: String)
    /// A key holds a value of the wrong type or out of range.
    case invalidValue(file: String, key: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotRead(file, reason):
            "\(file): cannot read model config: \(reason)"
        case let .invalidJSON(file, reason):
            "\(file): model config is not a valid JSON object: \(reason)"
        case let .missingModelType(file):
            "\(file): model config has no 'model_type'"
        case let .unsupportedModelType(file, modelType):
            "\(file): unsupported model_type '\(modelType)' (supported: \(ModelConfig.supportedModelTypes.joined(separator: ", ")))"
        case let .missingKey(file, key):
            "\(file): model config lacks '\(key)'"
        case let .invalidValue(file, key, reason):
            "\(file): model config key '\(key)' \(reason)"
        }
    }
}
