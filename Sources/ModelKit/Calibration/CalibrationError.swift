/// Why calibration or evaluation text could not be read or sampled; every case names the source and the fault.
public enum CalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid UTF-8.
    case notUTF8(file: String)
    /// A JSONL line is not a JSON object with a string `text` field.
    case badJSONLine(file: String, line: Int, reason: String)
    /// The source holds no text.
    case empty(source: String)
    /// The python3 command that prints the documentation topics failed.
    case pythonFailed(status: Int32, message: String)
    /// The python3 command printed something other than the expected JSON.
    case unexpectedPythonOutput(reason: String)
    /// Too few tokens for the windows asked for.
    case tooFewTokens(source: String, have: Int, need: Int)
    /// A window length, window count or split fraction out of range.
    case invalidParameter(name: String, value: String, expected: String)
    /// Held-out evaluation needs the text to hold at least two documents (paragraphs of a plain-text file).
    case tooShortToSplit(source: String, documents: Int)
    /// Encoder framing needs `[CLS]` and `[SEP]`, and the tokenizer lacks one.
    case missingSpecialToken(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read calibration text: \(reason)"
        case let .notUTF8(file):
            return "\(file): calibration text is not valid UTF-8"
        case let .badJSONLine(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .empty(source):
            return "\(source): no calibration text"
        case let .pythonFailed(status, message):
            return "python3 could not print the pydoc_data.topics corpus (exit status \(status)): \(message)"
        case let .unexpectedPythonOutput(reason):
            return "python3 printed an unexpected pydoc_data.topics corpus: \(reason)"
        case let .tooFewTokens(source, have, need):
            return "\(source): \(have) tokens, \(need) are needed: use more text or shorter windows"
        case let .tooShortToSplit(source, documents):
            return "\(source): \(documents) document\(documents == 1 ? "" : "s"), at least 2 are needed to hold some out for "
                + "evaluation (give more text: plain text splits at blank lines and every \(CalibrationText.chunkCharacters) characters)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case let .missingSpecialToken(token):
            return "the tokenizer has no \(token) token, which encoder windows need"
        }
    }
}
