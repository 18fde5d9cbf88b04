import QuantCore

/// Cuts token windows from a text: random windows for calibration, non-overlapping ones for evaluation.
///
/// The text is encoded once, without special tokens, as its documents joined by `"\n\n"`.
/// ```swift
/// let sampler = CalibrationSampler(text: split.calibration, tokenizer: tokenizer, framing: try .encoder(tokenizer))
/// let windows = try sampler.randomWindows(count: 128, length: 128, seed: 0)   // each [CLS] + 126 tokens + [SEP]
/// ```
public struct CalibrationSampler: Sendable {
    /// The encoded text.
    public let tokens: [Int]
    /// Special tokens put around each window; every window, framing included, has the asked-for length.
    public let framing: WindowFraming

    /// Where the tokens came from, for errors.
    public let source: String

    /// Encodes `text` with `tokenizer`.
    public init(text: CalibrationText, tokenizer: Tokenizer, framing: WindowFraming = .none) {
        self.init(tokens: tokenizer.encode(text.joined, addSpecialTokens: false), framing: framing, source: text.sourceDescription)
    }

    /// Windows over already-encoded tokens.
    public init(tokens: [Int], framing: WindowFraming = .none, source: String = "the text") {
        self.tokens = tokens
        self.framing = framing
        self.source = source
    }

    /// `count` windows of `length` tokens at seeded uniform random starts (windows may overlap), the same
    /// for the same tokens, length and seed on every run.
    public func randomWindows(count: Int, length: Int, seed: UInt64) throws(CalibrationError) -> [[Int]] {
        guard count >= 1 else { throw .invalidParameter(name: "window count", value: "\(count)", expected: "≥ 1") }
        let content = try contentLength(length)
        guard tokens.count >= content else { throw .tooFewTokens(source: source, have: tokens.count, need: content + framing.overhead) }
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let start = SeededShuffle.draw(below: tokens.count - content + 1, &rng)
            return framing.frame(tokens[start..<start + content])
        }
    }

    /// ⌊N / L⌋ consecutive non-overlapping windows from the start (L = content tokens per window), as the
    /// perplexity protocol cuts a joined test split; the tail shorter than a window is dropped.
    public func evaluationWindows(length: Int) throws(CalibrationError) -> [[Int]] {
        let content = try contentLength(length)
        let count = tokens.count / content
        guard count >= 1 else { throw .tooFewTokens(source: source, have: tokens.count, need: content + framing.overhead) }
        return (0..<count).map { framing.frame(tokens[$0 * content..<($0 + 1) * content]) }
    }

    private func contentLength(_ length: Int) throws(CalibrationError) -> Int {
        guard length > framing.overhead else {
            throw .invalidParameter(name: "window length", value: "\(length)", expected: "> \(framing.overhead) (the special tokens of each window)")
        }
        return length - framing.overhead
    }
}
