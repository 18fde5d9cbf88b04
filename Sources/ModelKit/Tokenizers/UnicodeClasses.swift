/// Character classes used by normalizers, pre-tokenizers and the split scanners, defined as the Rust
/// `tokenizers` crate defines them (on Unicode scalars, never on grapheme clusters).
extension Unicode.Scalar {
    /// Rust `char::is_whitespace`: the Unicode `White_Space` property.
    var isTokenizerWhitespace: Bool { properties.isWhitespace }

    /// `\p{L}`.
    var isLetter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `\p{N}` (Rust `char::is_numeric`).
    var isNumber: Bool {
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// Rust `char::is_alphanumeric`, plus `_`: what counts as a word character next to a `single_word` token.
    var isWordCharacter: Bool { properties.isAlphabetic || isNumber || self == "_" }

    /// BERT punctuation: ASCII punctuation or Unicode `P*`.
    var isBertPunctuation: Bool {
        if isASCII, (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
            || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value) {
            return true
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// BERT control characters: Unicode `C*` except tab, newline and carriage return.
    var isBertControl: Bool {
        if self == "\t" || self == "\n" || self == "\r" { return false }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// The CJK ideograph blocks BERT surrounds with spaces.
    var isCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}

extension Array where Element == Unicode.Scalar {
    /// The scalars as a `String`.
    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: self)
        return String(view)
    }
}

extension String {
    /// `prefix` as a prefix of the scalars (Swift's `hasPrefix` compares characters, and a combining mark
    /// after `##` joins the `#` into one character).
    func hasScalarPrefix(_ prefix: String) -> Bool { unicodeScalars.starts(with: prefix.unicodeScalars) }

    /// The string without its first `count` scalars.
    func droppingScalars(_ count: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.dropFirst(count))
        return String(view)
    }
}
