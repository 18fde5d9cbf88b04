/// Rewrites the parts of a tokenizer regex whose meaning differs between the reference's engine
/// (Oniguruma) and ICU.
///
/// Oniguruma's `\w` is `[\p{Alphabetic}\p{M}\p{N}\p{Pc}]`; ICU's leaves out `\p{No}` and `\p{Nl}` outside
/// Alphabetic (`½`, `²`) and adds the zero-width joiners U+200C/U+200D, which splits emoji sequences
/// differently. Other constructs used by tokenizer files read the same in both.
enum RegexDialect {
    private static let wordSet = #"\p{Alphabetic}\p{M}\p{N}\p{Pc}"#

    /// `pattern` with `\w` and `\W` spelled out as explicit sets, inside or outside brackets.
    static func icuPattern(fromOniguruma pattern: String) -> String {
        var out = ""
        var depth = 0
        var escaped = false
        for character in pattern {
            if escaped {
                escaped = false
                switch character {
                case "w": out += depth > 0 ? wordSet : "[\(wordSet)]"
                case "W": out += "[^\(wordSet)]"
                default: out += "\\" + String(character)
                }
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[": depth += 1; out.append(character)
            case "]": depth = max(0, depth - 1); out.append(character)
            default: out.append(character)
            }
        }
        if escaped { out += "\\" }
        return out
    }
}
