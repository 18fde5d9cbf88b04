import Foundation

/// A compiled regular expression that reports its matches as ranges of Unicode-scalar indices.
///
/// The two pre-tokenization patterns every byte-level BPE uses (GPT-2's and Llama-3's) are answered by
/// hand-written scanners; any other pattern runs on ICU through `NSRegularExpression`, after `RegexDialect`
/// has aligned it with the reference's engine. (`NSRegularExpression` is immutable and safe to share.)
struct RegexPattern: @unchecked Sendable {
    private enum Engine {
        case scanner(SplitScanner)
        case icu(NSRegularExpression)
    }

    private let engine: Engine

    /// Compiles `source`; throws `invalid` naming `component` when ICU rejects it.
    init(_ source: String, component: String) throws {
        if let scanner = SplitScanner(pattern: source) {
            engine = .scanner(scanner)
            return
        }
        do {
            engine = .icu(try NSRegularExpression(pattern: RegexDialect.icuPattern(fromOniguruma: source)))
        } catch {
            throw TokenizerError.Fault.invalid(component: component, reason: "bad regex \(source)")
        }
    }

    /// An ICU pattern taken as is, with no scanner (built-in pre-tokenizers, and tests comparing the engines).
    init(icu source: String) throws {
        engine = .icu(try NSRegularExpression(pattern: source))
    }

    /// Non-overlapping matches, leftmost first, as scalar index ranges.
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        switch engine {
        case .scanner(let scanner):
            return scanner.matches(in: scalars)
        case .icu(let expression):
            let text = scalars.string
            // Map UTF-16 offsets back to scalar indices.
            var scalarIndex = [Int](repeating: 0, count: text.utf16.count + 1)
            var offset = 0
            for (index, scalar) in scalars.enumerated() {
                let width = scalar.utf16.count
                for step in 0..<width { scalarIndex[offset + step] = index }
                offset += width
            }
            scalarIndex[offset] = scalars.count
            let whole = NSRange(location: 0, length: offset)
            return expression.matches(in: text, range: whole).map { match in
                scalarIndex[match.range.location]..<scalarIndex[match.range.location + match.range.length]
            }
        }
    }
}
