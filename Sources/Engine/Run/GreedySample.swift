import Foundation
import ModelKit

/// A prompt's greedy continuation by the reference model and, when there is one, the quantized model,
/// decoded to text: what `quantbench generate` prints and the workbench's sample panel shows.
public struct GreedySample: Sendable, Equatable {
    /// What is continued, and how many tokens, unless the user says otherwise.
    public static let defaultPrompt = "The capital of France is"
    public static let defaultTokens = 24

    public var prompt: String
    /// The reference's label (`FP32`, `GGUF Q4_1`) and continuation.
    public var referenceLabel: String
    public var reference: String
    /// The quantized model's continuation; nil without one.
    public var quantized: String?

    public init(prompt: String, referenceLabel: String, reference: String, quantized: String?) {
        self.prompt = prompt
        self.referenceLabel = referenceLabel
        self.reference = reference
        self.quantized = quantized
    }

    /// Generates `tokens` tokens with each model (stopping at the tokenizer's end of sequence).
    public init(models: RunModels, prompt: String, tokens: Int) throws {
        func continuation(_ model: TransformerModel) throws -> String {
            try Self.continuation(of: prompt, by: model, tokenizer: models.tokenizer, tokens: tokens)
        }
        self.init(prompt: prompt, referenceLabel: models.reference.checkpoint.referenceLabel, reference: try continuation(models.reference),
                  quantized: try models.quantized.map { try continuation($0.model) })
    }

    /// `model`'s greedy continuation of `prompt`, decoded: at most `tokens` tokens, fewer when the tokenizer's
    /// end of sequence comes first. Throws `CancellationError` when `isCancelled` says so before it is done.
    public static func continuation(of prompt: String, by model: TransformerModel, tokenizer: Tokenizer, tokens: Int,
                                    isCancelled: () -> Bool = { false }) throws -> String {
        let stop = Set([tokenizer.specialTokens.eos].compactMap { $0 })
        let ids = try model.greedyContinuation(of: tokenizer.encode(prompt), count: tokens, stop: stop, isCancelled: isCancelled)
        if isCancelled() { throw CancellationError() }
        return tokenizer.decode(ids)
    }

    /// The prompt, then the two continuations in columns of `width` characters in all, wrapped at spaces and
    /// divided by `rule` (a one-character line).
    public func sideBySide(width: Int, rule: String = "│") -> String {
        var out = "prompt: \(prompt)\n\n"
        guard let quantized else { return out + "\(referenceLabel) reference:\n\(reference)\n" }
        let column = max(20, (width - 3) / 2)
        let left = Self.wrap("\(referenceLabel) reference", column) + [""] + Self.wrap(reference, column)
        let right = Self.wrap("quantized", column) + [""] + Self.wrap(quantized, column)
        for row in 0..<max(left.count, right.count) {
            let l = row < left.count ? left[row] : "", r = row < right.count ? right[row] : ""
            out += l.padding(toLength: column, withPad: " ", startingAt: 0) + " \(rule) " + r + "\n"
        }
        return out
    }

    /// Lines of at most `width` characters: newlines kept, words moved whole, longer words cut.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            var lines: [String] = [], current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
                var word = word
                while word.count > width {
                    if !current.isEmpty { lines.append(current); current = "" }
                    lines.append(String(word.prefix(width)))
                    word = String(word.dropFirst(width))
                }
                if current.isEmpty { current = word } else if current.count + 1 + word.count <= width { current += " " + word } else {
                    lines.append(current)
                    current = word
                }
            }
            return lines + [current]
        }
    }
}
