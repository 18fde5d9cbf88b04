/// Why an evaluation metric could not be computed from its inputs.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Logits have `rows` positions but `tokens` ids were given.
    case lengthMismatch(rows: Int, tokens: Int)
    /// A window needs at least 2 tokens (one prediction).
    case windowTooShort(tokens: Int)
    /// A target id is outside the logits' vocabulary.
    case tokenOutOfRange(position: Int, id: Int, vocabulary: Int)
    /// Logits or embeddings hold NaN or ±Inf, the first at `[row, col]`.
    case nonFinite(row: Int, col: Int)
    /// Two sets of embeddings differ in shape.
    case shapeMismatch(reference: [Int], candidate: [Int])
    /// Fewer sentences (rows) than the metric needs.
    case tooFewRows(have: Int, need: Int)
    /// No window was added.
    case noWindows

    public var description: String {
        switch self {
        case let .lengthMismatch(rows, tokens):
            return "logits cover \(rows) positions but the window has \(tokens) tokens"
        case let .windowTooShort(tokens):
            return "a window of \(tokens) token\(tokens == 1 ? "" : "s") predicts nothing: at least 2 are needed"
        case let .tokenOutOfRange(position, id, vocabulary):
            return "token \(id) at position \(position) is outside the logits' vocabulary of \(vocabulary)"
        case let .nonFinite(row, col):
            return "non-finite value (NaN or Inf) at [\(row), \(col)]"
        case let .shapeMismatch(reference, candidate):
            return "embeddings differ in shape: reference \(reference), candidate \(candidate)"
        case let .tooFewRows(have, need):
            return "\(have) sentence\(have == 1 ? "" : "s") given, at least \(need) needed"
        case .noWindows:
            return "no evaluation windows"
        }
    }
}
