import Foundation

/// The `normalizer` stage: rewrites each piece of text between added tokens before pre-tokenization.
indirect enum Normalizer: Sendable {
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    case sequence([Normalizer])
    case prepend([Unicode.Scalar])
    case replaceString([Unicode.Scalar], with: [Unicode.Scalar])
    case replaceRegex(RegexPattern, with: [Unicode.Scalar])
    case lowercase
    case stripAccents
    case strip(left: Bool, right: Bool)
    case nfc, nfd, nfkc, nfkd

    /// Builds a normalizer from its JSON object.
    init(config: ConfigObject) throws {
        let type = try config.type()
        switch type {
        case "BertNormalizer":
            let lowercase = try config.bool("lowercase", default: true)
            self = .bert(
                cleanText: try config.bool("clean_text", default: true),
                handleChineseChars: try config.bool("handle_chinese_chars", default: true),
                stripAccents: try config.optionalBool("strip_accents") ?? lowercase,
                lowercase: lowercase)
        case "Sequence":
            self = .sequence(try config.objects("normalizers").map(Normalizer.init(config:)))
        case "Prepend":
            self = .prepend(Array(try config.string("prepend").unicodeScalars))
        case "Replace":
            let content = Array(try config.string("content").unicodeScalars)
            let pattern = try config.object("pattern")
            if let literal = try pattern.optionalString("String") {
                self = .replaceString(Array(literal.unicodeScalars), with: content)
            } else {
                self = .replaceRegex(try RegexPattern(try pattern.string("Regex"), component: "normalizer"),
                                     with: content)
            }
        case "Lowercase": self = .lowercase
        case "StripAccents": self = .stripAccents
        case "Strip":
            self = .strip(left: try config.bool("strip_left", default: true),
                          right: try config.bool("strip_right", default: true))
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        default:
            throw TokenizerError.Fault.unsupported(component: "normalizer", type: type)
        }
    }

    /// Normalizes one piece of text.
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .bert(let cleanText, let handleChineseChars, let stripAccents, let lowercase):
            var out = text
            if cleanText {
                out = out.compactMap { scalar in
                    if scalar.value == 0 || scalar.value == 0xFFFD || scalar.isBertControl { return nil }
                    return scalar.isTokenizerWhitespace ? " " : scalar
                }
            }
            if handleChineseChars {
                out = out.flatMap { $0.isCJKIdeograph ? [" ", $0, " "] : [$0] }
            }
            if stripAccents { out = Normalizer.removeAccents(out) }
            if lowercase { out = ScalarText.lowercase(out) }
            return out
        case .sequence(let steps):
            return steps.reduce(text) { $1.normalize($0) }
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case .replaceString(let pattern, let content):
            return ScalarText.replace(pattern, with: content, in: text)
        case .replaceRegex(let regex, let content):
            return ScalarText.replace(regex.matches(in: text), with: content, in: text)
        case .lowercase:
            return ScalarText.lowercase(text)
        case .stripAccents:
            return text.filter {
                switch $0.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: return false
                default: return true
                }
            }
        case .strip(let left, let right):
            var slice = text[...]
            if left { slice = slice.drop { $0.isTokenizerWhitespace } }
            if right { while let last = slice.last, last.isTokenizerWhitespace { slice = slice.dropLast() } }
            return Array(slice)
        case .nfc: return Array(text.string.precomposedStringWithCanonicalMapping.unicodeScalars)
        case .nfd: return Array(text.string.decomposedStringWithCanonicalMapping.unicodeScalars)
        case .nfkc: return Array(text.string.precomposedStringWithCompatibilityMapping.unicodeScalars)
        case .nfkd: return Array(text.string.decomposedStringWithCompatibilityMapping.unicodeScalars)
        }
    }

    /// NFD, then drop the non-spacing marks.
    private static func removeAccents(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        text.string.decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
    }
}
