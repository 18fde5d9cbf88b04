/// What surrounds each window of content tokens.
public enum WindowFraming: Sendable, Equatable {
    /// Bare token windows (causal LMs, as the GPTQ calibration recipe cuts them).
    case none
    /// `[CLS] … [SEP]` around each window (BERT-style encoders); the framed window keeps the asked-for length.
    case clsSep(cls: Int, sep: Int)

    /// `[CLS] … [SEP]` with the tokenizer's ids.
    public static func encoder(_ tokenizer: Tokenizer) throws(CalibrationError) -> WindowFraming {
        guard let cls = tokenizer.specialTokens.cls else { throw .missingSpecialToken("[CLS]") }
        guard let sep = tokenizer.specialTokens.sep else { throw .missingSpecialToken("[SEP]") }
        return .clsSep(cls: cls, sep: sep)
    }

    /// Special tokens added to each window.
    public var overhead: Int {
        switch self {
        case .none: return 0
        case .clsSep: return 2
        }
    }

    /// The window with its special tokens.
    func frame(_ content: ArraySlice<Int>) -> [Int] {
        switch self {
        case .none: return Array(content)
        case let .clsSep(cls, sep): return [cls] + content + [sep]
        }
    }
}
