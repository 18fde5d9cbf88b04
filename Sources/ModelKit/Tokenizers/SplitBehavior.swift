/// What a split does with the matched delimiters (`behavior` of `Split`, `Punctuation`, …).
enum SplitBehavior: String, Sendable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    /// Parses the tag; older files spell it in lower case.
    init(tag: String) throws {
        guard let value = SplitBehavior.allTags[tag.lowercased()] else {
            throw TokenizerError.Fault.unsupported(component: "pre_tokenizer split behavior", type: tag)
        }
        self = value
    }

    private static let allTags: [String: SplitBehavior] = [
        "removed": .removed, "isolated": .isolated, "mergedwithprevious": .mergedWithPrevious,
        "mergedwithnext": .mergedWithNext, "contiguous": .contiguous,
    ]

    /// Cuts `text` given the delimiter `matches` (sorted, non-overlapping scalar ranges); drops empty pieces.
    func split(_ text: [Unicode.Scalar], matches: [Range<Int>], invert: Bool = false) -> [[Unicode.Scalar]] {
        // Cover the whole text with (range, isDelimiter) spans.
        var spans: [(range: Range<Int>, isMatch: Bool)] = []
        var position = 0
        for match in matches {
            if position < match.lowerBound { spans.append((position..<match.lowerBound, invert)) }
            spans.append((match, !invert))
            position = match.upperBound
        }
        if position < text.count { spans.append((position..<text.count, invert)) }

        var pieces: [Range<Int>] = []
        switch self {
        case .removed:
            pieces = spans.filter { !$0.isMatch }.map(\.range)
        case .isolated:
            pieces = spans.map(\.range)
        case .mergedWithPrevious:
            var previousMatch = false
            for span in spans {
                if span.isMatch, !previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    pieces.append(span.range)
                }
                previousMatch = span.isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for span in spans.reversed() {
                if span.isMatch, !previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = span.range.lowerBound..<last.upperBound
                } else {
                    pieces.append(span.range)
                }
                previousMatch = span.isMatch
            }
            pieces.reverse()
        case .contiguous:
            var previousMatch = false
            for span in spans {
                if span.isMatch == previousMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    pieces.append(span.range)
                }
                previousMatch = span.isMatch
            }
        }
        return pieces.filter { !$0.isEmpty }.map { Array(text[$0]) }
    }

    /// Every scalar satisfying `isDelimiter` as its own one-scalar match.
    static func matches(in text: [Unicode.Scalar], where isDelimiter: (Unicode.Scalar) -> Bool) -> [Range<Int>] {
        text.indices.filter { isDelimiter(text[$0]) }.map { $0..<$0 + 1 }
    }
}
