import Foundation
import ModelKit

/// A prompt's greedy continuation by the reference model and, when there is one, the quantized model,
/// decoded to text: what `quantbench generate` prints and the workbench's sample panel shows.
public struct GreedySample: Sendable, Equatable {
    public var prompt: String
    /// The reference's label (`FP32`, `GGUF Q4_1`) and continuation.
    public var referenceLabel: String
    public var reference: String
    /// The quantized model's continuation; nil without one.
    public var quantized: String?

    /// Generates `tokens` tokens with each model (stopping at the tokenizer's end of sequence).
    public init(models: RunModels, prompt: String, tokens: Int) throws {
        try self.init(reference: models.reference, quantized: models.quantized?.model, tokenizer: models.tokenizer,
                      prompt: prompt, tokens: tokens)
    }

    /// The same over given models.
    public init(reference model: TransformerModel, quantized: TransformerModel?, tokenizer: Tokenizer, prompt: String, tokens: Int) throws {
        self.prompt = prompt
        referenceLabel = model.checkpoint.referenceLabel
        let ids = tokenizer.encode(prompt)
        let stop = Set([tokenizer.specialTokens.eos].compactMap { $0 })
        func continuation(_ model: TransformerModel) throws -> String {
            tokenizer.decode(try model.greedyContinuation(of: ids, count: tokens, stop: stop))
        }
        reference = try continuation(model)
        self.quantized = try quantized.map(continuation)
    }

    /// The prompt, then the two continuations in columns of `width` characters in all, wrapped at spaces.
    public func sideBySide(width: Int) -> String {
        var out = "prompt: \(prompt)\n\n"
        guard let quantized else { return out + "\(referenceLabel) reference:\n\(reference)\n" }
        let column = max(20, (width - 3) / 2)
        let left = Self.wrap("\(referenceLabel) reference", column) + [""] + Self.wrap(reference, column)
        let right = Self.wrap("quantized", column) + [""] + Self.wrap(quantized, column)
        for row in 0..<max(left.count, right.count) {
            let l = row < left.count ? left[row] : "", r = row < right.count ? right[row] : ""
            out += l.padding(toLength: column, withPad: " ", startingAt: 0) + " │ " + r + "\n"
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
