/// Hand-written matchers for the pre-tokenization regexes of GPT-2 and Llama-3 (and Qwen2, which is
/// Llama-3's with single digits). They give the same matches as the regex engine of the reference library,
/// classify characters exactly as `\s`, `\p{L}` and `\p{N}` do, and run in linear time.
enum SplitScanner: Sendable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,k}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3(maxDigits: Int)

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The scanner for a pattern it knows, else nil.
    init?(pattern: String) {
        switch pattern {
        case SplitScanner.gpt2Pattern: self = .gpt2
        case SplitScanner.llama3Pattern: self = .llama3(maxDigits: 3)
        case SplitScanner.qwen2Pattern: self = .llama3(maxDigits: 1)
        default: return nil
        }
    }

    /// Non-overlapping matches, leftmost first, as scalar index ranges.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        while start < text.count {
            let end: Int
            switch self {
            case .gpt2: end = SplitScanner.gpt2Match(text, at: start)
            case .llama3(let maxDigits): end = SplitScanner.llama3Match(text, at: start, maxDigits: maxDigits)
            }
            result.append(start..<end)
            start = end
        }
        return result
    }

    private enum Class { case space, letter, number, other }

    private static func classify(_ scalar: Unicode.Scalar) -> Class {
        if scalar.isTokenizerWhitespace { return .space }
        if scalar.isLetter { return .letter }
        if scalar.isNumber { return .number }
        return .other
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool { scalar == "\r" || scalar == "\n" }

    /// End of the run of `cls` characters starting at `index`.
    private static func run(_ text: [Unicode.Scalar], from index: Int, of cls: Class) -> Int {
        var end = index
        while end < text.count, classify(text[end]) == cls { end += 1 }
        return end
    }

    /// End of a contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `index`, or nil.
    private static func contraction(_ text: [Unicode.Scalar], at index: Int, ignoringCase: Bool) -> Int? {
        guard text[index] == "'", index + 1 < text.count else { return nil }
        func letter(_ offset: Int, _ lower: Unicode.Scalar) -> Bool {
            guard index + offset < text.count else { return false }
            let scalar = text[index + offset]
            if scalar == lower { return true }
            guard ignoringCase else { return false }
            if scalar.value == lower.value - 32 { return true }
            return lower == "s" && scalar == "\u{17F}"  // LATIN SMALL LETTER LONG S folds to s
        }
        if letter(1, "s") || letter(1, "t") || letter(1, "m") || letter(1, "d") { return index + 2 }
        if (letter(1, "r") && letter(2, "e")) || (letter(1, "v") && letter(2, "e"))
            || (letter(1, "l") && letter(2, "l")) {
            return index + 3
        }
        return nil
    }

    /// `\s+(?!\S)|\s+` at `index`, which holds whitespace.
    private static func whitespace(_ text: [Unicode.Scalar], at index: Int) -> Int {
        let end = run(text, from: index, of: .space)
        if end == text.count || end - index == 1 { return end }
        return end - 1
    }

    private static func gpt2Match(_ text: [Unicode.Scalar], at index: Int) -> Int {
        if let end = contraction(text, at: index, ignoringCase: false) { return end }
        let first = classify(text[index])
        if first != .space { return run(text, from: index, of: first) }
        if text[index] == " ", index + 1 < text.count {
            let next = classify(text[index + 1])
            if next != .space { return run(text, from: index + 1, of: next) }
        }
        return whitespace(text, at: index)
    }

    private static func llama3Match(_ text: [Unicode.Scalar], at index: Int, maxDigits: Int) -> Int {
        if let end = contraction(text, at: index, ignoringCase: true) { return end }
        let scalar = text[index]
        let first = classify(scalar)
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if first == .letter { return run(text, from: index, of: .letter) }
        if first != .number, !isNewline(scalar), index + 1 < text.count, classify(text[index + 1]) == .letter {
            return run(text, from: index + 1, of: .letter)
        }
        // \p{N}{1,k}
        if first == .number {
            var end = index
            while end < text.count, end - index < maxDigits, classify(text[end]) == .number { end += 1 }
            return end
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var symbolStart: Int?
        if first == .other {
            symbolStart = index
        } else if scalar == " ", index + 1 < text.count, classify(text[index + 1]) == .other {
            symbolStart = index + 1
        }
        if let symbolStart {
            var end = run(text, from: symbolStart, of: .other)
            while end < text.count, isNewline(text[end]) { end += 1 }
            return end
        }
        // \s*[\r\n]+ : up to and including the last newline of the whitespace run.
        let end = run(text, from: index, of: .space)
        if let lastNewline = text[index..<end].lastIndex(where: isNewline) { return lastNewline + 1 }
        return whitespace(text, at: index)
    }
}
