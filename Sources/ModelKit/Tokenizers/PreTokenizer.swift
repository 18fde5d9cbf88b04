/// A piece of text on its way through pre-tokenization; `atStart` marks the piece that begins the input.
struct TextPiece: Sendable {
    var scalars: [Unicode.Scalar]
    var atStart: Bool
}

/// The `pre_tokenizer` stage: cuts normalized text into the words the model tokenizes one by one.
indirect enum PreTokenizer: Sendable {
    /// Where `Metaspace` puts a replacement character in front of the text.
    enum PrependScheme: String, Sendable { case always, first, never }

    case bert
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case split(SplitPattern, behavior: SplitBehavior, invert: Bool)
    case metaspace(replacement: Unicode.Scalar, prepend: PrependScheme, split: Bool)
    case whitespace
    case whitespaceSplit
    case punctuation(SplitBehavior)
    case digits(individual: Bool)
    case sequence([PreTokenizer])

    /// Builds a pre-tokenizer from its JSON object.
    init(config: ConfigObject) throws {
        let type = try config.type()
        switch type {
        case "BertPreTokenizer": self = .bert
        case "ByteLevel":
            self = .byteLevel(addPrefixSpace: try config.bool("add_prefix_space", default: true),
                              useRegex: try config.bool("use_regex", default: true))
        case "Split":
            self = .split(try SplitPattern(config: try config.object("pattern")),
                          behavior: try SplitBehavior(tag: try config.string("behavior")),
                          invert: try config.bool("invert", default: false))
        case "Metaspace":
            let replacement = try config.string("replacement").unicodeScalars
            guard replacement.count == 1, let scalar = replacement.first else {
                throw TokenizerError.Fault.invalid(component: "pre_tokenizer", reason: "Metaspace replacement must be one character")
            }
            self = .metaspace(replacement: scalar, prepend: try PreTokenizer.prependScheme(config),
                              split: try config.bool("split", default: true))
        case "Whitespace": self = .whitespace
        case "WhitespaceSplit": self = .whitespaceSplit
        case "Punctuation":
            self = .punctuation(try SplitBehavior(tag: try config.optionalString("behavior") ?? "Isolated"))
        case "Digits": self = .digits(individual: try config.bool("individual_digits", default: false))
        case "Sequence":
            self = .sequence(try config.objects("pretokenizers").map(PreTokenizer.init(config:)))
        default:
            throw TokenizerError.Fault.unsupported(component: "pre_tokenizer", type: type)
        }
    }

    /// `prepend_scheme`, or the older boolean `add_prefix_space`.
    static func prependScheme(_ config: ConfigObject) throws -> PrependScheme {
        if let tag = try config.optionalString("prepend_scheme") {
            guard let scheme = PrependScheme(rawValue: tag) else {
                throw TokenizerError.Fault.unsupported(component: "Metaspace prepend_scheme", type: tag)
            }
            return scheme
        }
        return try config.bool("add_prefix_space", default: true) ? .always : .never
    }

    /// `\w+|[^\w\s]+` with `\w` as the Rust `regex` crate (which the reference uses here) defines it.
    private static let wordPattern = try? RegexPattern(
        icu: #"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]+"#)

    /// Splits every piece.
    func split(_ pieces: [TextPiece]) -> [TextPiece] {
        pieces.flatMap { piece in
            split(piece).enumerated().compactMap { index, scalars in
                scalars.isEmpty ? nil : TextPiece(scalars: scalars, atStart: piece.atStart && index == 0)
            }
        }
    }

    private func split(_ piece: TextPiece) -> [[Unicode.Scalar]] {
        let text = piece.scalars
        switch self {
        case .bert:
            return SplitBehavior.removed.split(text, matches: SplitBehavior.matches(in: text) { $0.isTokenizerWhitespace })
                .flatMap { SplitBehavior.isolated.split($0, matches: SplitBehavior.matches(in: $0) { $0.isBertPunctuation }) }
        case .byteLevel(let addPrefixSpace, let useRegex):
            var text = text
            if addPrefixSpace, text.first != " " { text.insert(" ", at: 0) }
            let words = useRegex ? SplitBehavior.isolated.split(text, matches: SplitScanner.gpt2.matches(in: text)) : [text]
            return words.map(ByteLevelAlphabet.encode)
        case .split(let pattern, let behavior, let invert):
            return behavior.split(text, matches: pattern.matches(in: text), invert: invert)
        case .metaspace(let replacement, let prepend, let split):
            var text = text.map { $0 == " " ? replacement : $0 }
            let wantsPrefix = prepend == .always || (prepend == .first && piece.atStart)
            if wantsPrefix, text.first != replacement { text.insert(replacement, at: 0) }
            guard split else { return [text] }
            return SplitBehavior.mergedWithNext.split(text, matches: SplitBehavior.matches(in: text) { $0 == replacement })
        case .whitespace:
            guard let pattern = PreTokenizer.wordPattern else { return [text] }
            return SplitBehavior.removed.split(text, matches: pattern.matches(in: text), invert: true)
        case .whitespaceSplit:
            return SplitBehavior.removed.split(text, matches: SplitBehavior.matches(in: text) { $0.isTokenizerWhitespace })
        case .punctuation(let behavior):
            return behavior.split(text, matches: SplitBehavior.matches(in: text) { $0.isBertPunctuation })
        case .digits(let individual):
            let matches = SplitBehavior.matches(in: text) { $0.isNumber }
            return (individual ? SplitBehavior.isolated : .contiguous).split(text, matches: matches)
        case .sequence(let steps):
            return steps.reduce([piece]) { $1.split($0) }.map(\.scalars)
        }
    }
}

/// The `pattern` of a `Split` pre-tokenizer: a literal string or a regex.
enum SplitPattern: Sendable {
    case literal([Unicode.Scalar])
    case regex(RegexPattern)

    init(config: ConfigObject) throws {
        if let literal = try config.optionalString("String") {
            self = .literal(Array(literal.unicodeScalars))
        } else {
            self = .regex(try RegexPattern(try config.string("Regex"), component: "pre_tokenizer"))
        }
    }

    /// Non-overlapping matches, leftmost first, as scalar index ranges.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case .regex(let regex):
            return regex.matches(in: text)
        case .literal(let needle):
            guard !needle.isEmpty else { return [] }
            var result: [Range<Int>] = []
            var index = 0
            while index + needle.count <= text.count {
                if text[index..<index + needle.count].elementsEqual(needle) {
                    result.append(index..<index + needle.count)
                    index += needle.count
                } else {
                    index += 1
                }
            }
            return result
        }
    }
}
