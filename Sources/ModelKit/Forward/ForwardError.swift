/// A fault found while building or using a `TransformerModel`: an architecture or setting without a
/// forward pass, a tensor the forward pass needs that is absent or malformed, or bad input.
public enum ForwardError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config describes a model this forward pass does not implement.
    case unsupportedArchitecture(directory: String, reason: String)
    /// A tensor the forward pass reads is absent.
    case missingTensor(directory: String, tensor: String)
    /// A tensor the forward pass reads has the wrong shape.
    case unexpectedShape(directory: String, tensor: String, expected: [Int], actual: [Int])
    /// A tensor the forward pass reads is not F16, BF16, F32 or F64.
    case notFloatingPoint(directory: String, tensor: String, dtype: SafetensorsDType)
    /// A tensor checked when the model was built could not be read later (its file changed).
    case unreadableTensor(directory: String, tensor: String, reason: String)
    /// A tensor holds NaN or infinity (`count` of them; the first at flat index `firstIndex` of what was read).
    case nonFiniteTensor(directory: String, tensor: String, count: Int, firstIndex: Int)
    /// No linear layer of that display name.
    case unknownLayer(name: String)
    /// No block norm or linear bias of that tensor name.
    case unknownBlockTensor(name: String)
    /// A replacement weight does not have the layer's `[out, in]` shape.
    case replacementShape(layer: String, expected: [Int], actual: [Int])
    /// A replacement weight holds NaN or infinity.
    case replacementNotFinite(layer: String)
    /// A compensated layer has no calibrated thresholds.
    case missingThresholds(layer: String)
    /// The token sequence is empty.
    case emptySequence
    /// A token id lies outside the embedding table.
    case tokenOutOfRange(position: Int, token: Int, vocabularySize: Int)
    /// The sequence is longer than the learned position table.
    case sequenceTooLong(length: Int, maximum: Int)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(directory, reason):
            "\(directory): no forward pass for this model: \(reason)"
        case let .missingTensor(directory, tensor):
            "\(directory): the forward pass needs tensor '\(tensor)', which the checkpoint lacks"
        case let .unexpectedShape(directory, tensor, expected, actual):
            "\(directory): tensor '\(tensor)' has shape \(actual), the forward pass expects \(expected)"
        case let .notFloatingPoint(directory, tensor, dtype):
            "\(directory): tensor '\(tensor)' has dtype \(dtype.rawValue), the forward pass needs F16, BF16, F32 or F64"
        case let .unreadableTensor(directory, tensor, reason):
            "\(directory): tensor '\(tensor)' could not be read: \(reason)"
        case let .nonFiniteTensor(directory, tensor, count, first):
            "\(directory): tensor '\(tensor)' holds \(count) NaN or infinite value\(count == 1 ? "" : "s") (the first at flat index \(first))"
        case let .unknownLayer(name):
            "no linear layer named '\(name)'"
        case let .unknownBlockTensor(name):
            "no block norm or linear bias named '\(name)'"
        case let .replacementShape(layer, expected, actual):
            "replacement weight for '\(layer)' has shape \(actual), the layer is \(expected)"
        case let .replacementNotFinite(layer):
            "replacement weight for '\(layer)' contains NaN or infinity"
        case let .missingThresholds(layer):
            "no calibrated thresholds for '\(layer)' (its inputs were not observed)"
        case .emptySequence:
            "the token sequence is empty"
        case let .tokenOutOfRange(position, token, vocabularySize):
            "token \(token) at position \(position) is outside the vocabulary of \(vocabularySize)"
        case let .sequenceTooLong(length, maximum):
            "the sequence has \(length) tokens, the model's position table holds \(maximum)"
        }
    }
}
