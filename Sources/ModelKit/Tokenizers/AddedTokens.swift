/// One entry of `added_tokens`: a string cut out of the text as a single token before anything else runs.
struct AddedToken: Sendable {
    let id: Int
    let content: String
    let special: Bool
    /// Match only when not touching a word character on either side.
    let singleWord: Bool
    /// Also swallow the whitespace before / after the match.
    let leftStrip: Bool
    let rightStrip: Bool
    /// Match on the normalized text (with normalized content) rather than on the raw text.
    let normalized: Bool

    init(id: Int, content: String, special: Bool, singleWord: Bool = false, leftStrip: Bool = false,
         rightStrip: Bool = false, normalized: Bool) {
        self.id = id
        self.content = content
        self.special = special
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized
    }

    init(config: ConfigObject) throws {
        let special = try config.bool("special", default: false)
        self.init(id: try config.int("id"), content: try config.string("content"), special: special,
                  singleWord: try config.bool("single_word", default: false),
                  leftStrip: try config.bool("lstrip", default: false),
                  rightStrip: try config.bool("rstrip", default: false),
                  normalized: try config.bool("normalized", default: !special))
    }
}

/// A piece of input after added-token splitting: an added token's id, or text still to tokenize.
enum AddedTokenSegment: Sendable {
    case token(Int)
    case text(TextPiece)
}

/// Finds added tokens in text: leftmost match first, the longest at that position, never overlapping;
/// then applies `single_word`, `lstrip` and `rstrip` as the reference does.
struct AddedTokenMatcher: Sendable {
    private struct Pattern: Sendable {
        let scalars: [Unicode.Scalar]
        let token: AddedToken
    }

    /// Patterns by first scalar, longest first.
    private let patterns: [Unicode.Scalar: [Pattern]]

    /// A matcher for `tokens`, whose content is first passed through `normalize`.
    init(tokens: [AddedToken], normalize: ([Unicode.Scalar]) -> [Unicode.Scalar] = { $0 }) {
        var table: [Unicode.Scalar: [Pattern]] = [:]
        for token in tokens {
            let scalars = normalize(Array(token.content.unicodeScalars))
            guard let first = scalars.first else { continue }
            table[first, default: []].append(Pattern(scalars: scalars, token: token))
        }
        patterns = table.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    /// Cuts `piece` into added tokens and the text between them.
    func split(_ piece: TextPiece) -> [AddedTokenSegment] {
        let text = piece.scalars
        guard !patterns.isEmpty else { return text.isEmpty ? [] : [.text(piece)] }
        var segments: [AddedTokenSegment] = []
        var offset = 0
        func emitText(upTo end: Int) {
            if offset < end {
                segments.append(.text(TextPiece(scalars: Array(text[offset..<end]), atStart: piece.atStart && offset == 0)))
            }
        }
        for (match, token) in matches(in: text) {
            var start = match.lowerBound, stop = match.upperBound
            if token.singleWord {
                let wordBefore = start > 0 && text[start - 1].isWordCharacter
                let wordAfter = stop < text.count && text[stop].isWordCharacter
                if wordBefore || wordAfter { continue }
            }
            if token.leftStrip {
                var newStart = start
                while newStart > 0, text[newStart - 1].isTokenizerWhitespace { newStart -= 1 }
                start = max(newStart, offset)
            }
            if token.rightStrip {
                while stop < text.count, text[stop].isTokenizerWhitespace { stop += 1 }
            }
            emitText(upTo: start)
            segments.append(.token(token.id))
            offset = stop
        }
        emitText(upTo: text.count)
        return segments
    }

    /// All leftmost-longest, non-overlapping matches.
    private func matches(in text: [Unicode.Scalar]) -> [(Range<Int>, AddedToken)] {
        var result: [(Range<Int>, AddedToken)] = []
        var index = 0
        while index < text.count {
            let candidates = patterns[text[index]] ?? []
            if let hit = candidates.first(where: { pattern in
                index + pattern.scalars.count <= text.count
                    && text[index..<index + pattern.scalars.count].elementsEqual(pattern.scalars)
            }) {
                result.append((index..<index + hit.scalars.count, hit.token))
                index += hit.scalars.count
            } else {
                index += 1
            }
        }
        return result
    }
}
