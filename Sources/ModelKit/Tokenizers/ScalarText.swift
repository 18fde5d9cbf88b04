/// Scalar-level text helpers shared by normalizers, pre-tokenizers and decoders.
enum ScalarText {
    /// Replaces every non-overlapping occurrence of `pattern`, scanning left to right.
    static func replace(_ pattern: [Unicode.Scalar], with content: [Unicode.Scalar],
                        in text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !pattern.isEmpty, text.count >= pattern.count else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if index + pattern.count <= text.count, text[index] == pattern[0],
               text[index..<index + pattern.count].elementsEqual(pattern) {
                out.append(contentsOf: content)
                index += pattern.count
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    /// Replaces the given scalar ranges (sorted, non-overlapping) with `content`.
    static func replace(_ ranges: [Range<Int>], with content: [Unicode.Scalar],
                        in text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var position = 0
        for range in ranges {
            out.append(contentsOf: text[position..<range.lowerBound])
            out.append(contentsOf: content)
            position = range.upperBound
        }
        out.append(contentsOf: text[position...])
        return out
    }

    /// Rust `char::to_lowercase`, scalar by scalar (no context such as final sigma).
    static func lowercase(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            if scalar.isASCII {
                out.append(scalar.properties.isUppercase ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }
}
