import Foundation
import ModelKit
import QuantCore

/// End-to-end quality of a quantized model against its full-precision self on held-out text: for
/// encoders, the mean cosine between sentence embeddings and top-1 nearest-neighbour agreement; for
/// causal LMs, perplexity over non-overlapping windows (research note protocol).
public struct ModelEvaluation: Sendable, Codable, Equatable {
    /// `embedding` or `perplexity`.
    public var kind: String
    /// Sentences or windows evaluated.
    public var samples: Int
    public var meanCosine: Double?
    public var neighbourAgreement: Double?
    public var referencePerplexity: Double?
    public var quantizedPerplexity: Double?
    /// Where the held-out text came from.
    public var source: String
    /// What the quantized model is compared with (`FP32`, `GGUF Q4_1`).
    public var referenceLabel: String
    /// Tokens per perplexity window (causal LMs).
    public var windowLength: Int?
    /// Tokens scored in all windows (causal LMs).
    public var tokens: Int?

    /// One line for the terminal.
    public var line: String {
        if kind == "embedding" {
            return String(format: "embedding cosine %.5f, top-1 neighbour agreement %.1f%% over %d held-out sentences",
                          meanCosine ?? .nan, 100 * (neighbourAgreement ?? .nan), samples)
        }
        let quantized = quantizedPerplexity.map { String(format: "perplexity %.3f, %@ reference %.3f", $0, referenceLabel, referencePerplexity ?? .nan) }
            ?? String(format: "%@ reference perplexity %.3f", referenceLabel, referencePerplexity ?? .nan)
        return quantized + " over \(samples) held-out windows of \(windowLength ?? 0) tokens (\(tokens ?? 0) tokens)"
    }

    /// Compares `quantized` (weights replaced in memory) with `reference` (the same checkpoint, untouched).
    /// `quantized` nil evaluates the reference alone (perplexity only).
    public static func run(reference: TransformerModel, quantized: TransformerModel?, tokenizer: Tokenizer, heldOut: CalibrationText,
                           maxSamples: Int = 256, windowLength: Int = 128) throws -> ModelEvaluation {
        if reference.isCausalLM {
            let windows = try perplexityWindows(tokenizer: tokenizer, heldOut: heldOut, maxSamples: maxSamples, windowLength: windowLength)
            let windowLength = windows.first?.count ?? windowLength
            var ref = PerplexityAccumulator()
            var quant = PerplexityAccumulator()
            // Windows go through the blocks in batches (taller gemms), then through the head one at a time.
            let perBatch = max(1, CalibrationBatch.maxTokens / windowLength)
            for first in stride(from: 0, to: windows.count, by: perBatch) {
                let batch = Array(windows[first..<min(first + perBatch, windows.count)])
                try Self.add(batch, through: reference, to: &ref)
                if let quantized { try Self.add(batch, through: quantized, to: &quant) }
            }
            return ModelEvaluation(kind: "perplexity", samples: windows.count, referencePerplexity: try ref.perplexity(),
                                   quantizedPerplexity: quantized == nil ? nil : try quant.perplexity(), source: heldOut.sourceDescription,
                                   referenceLabel: reference.checkpoint.referenceLabel, windowLength: windowLength,
                                   tokens: windows.reduce(0) { $0 + $1.count })
        }
        let sentences = Self.sentences(heldOut, limit: maxSamples)
        let ids = sentences.map { tokenizer.encode($0, addSpecialTokens: true, maxLength: windowLength) }
        let ref = Matrix(rows: ids.count, cols: reference.checkpoint.config.hiddenSize, storage: try ids.flatMap { try reference.sentenceEmbedding($0) })
        guard let quantized else {
            return ModelEvaluation(kind: "embedding", samples: ids.count, meanCosine: 1, neighbourAgreement: 1, source: heldOut.sourceDescription,
                                   referenceLabel: reference.checkpoint.referenceLabel)
        }
        let q = Matrix(rows: ids.count, cols: reference.checkpoint.config.hiddenSize, storage: try ids.flatMap { try quantized.sentenceEmbedding($0) })
        return ModelEvaluation(kind: "embedding", samples: ids.count,
                               meanCosine: try EmbeddingAgreement.meanCosine(reference: ref, candidate: q),
                               neighbourAgreement: try EmbeddingAgreement.nearestNeighbourAgreement(reference: ref, candidate: q),
                               source: heldOut.sourceDescription, referenceLabel: reference.checkpoint.referenceLabel)
    }

    /// The token windows a causal LM's perplexity is taken over: non-overlapping windows of `windowLength`
    /// tokens of `heldOut`, at most `maxSamples`; held-out text shorter than one window is one shorter window
    /// (never under 16 tokens).
    public static func perplexityWindows(tokenizer: Tokenizer, heldOut: CalibrationText, maxSamples: Int = 256,
                                         windowLength: Int = 128) throws -> [[Int]] {
        let sampler = CalibrationSampler(text: heldOut, tokenizer: tokenizer)
        let length = sampler.tokens.count >= 16 ? min(windowLength, sampler.tokens.count) : windowLength
        return Array(try sampler.evaluationWindows(length: length).prefix(maxSamples))
    }

    /// Each window of `batch` (one length) scored by `model`.
    private static func add(_ batch: [[Int]], through model: TransformerModel, to accumulator: inout PerplexityAccumulator) throws {
        let hidden = try model.lastHidden(batch: batch)
        for (index, window) in batch.enumerated() {
            let rows = index * window.count..<(index + 1) * window.count
            let own = Matrix(rows: window.count, cols: hidden.cols, storage: Array(hidden.storage[rows.lowerBound * hidden.cols..<rows.upperBound * hidden.cols]))
            try accumulator.add(logits: model.head(own), tokens: window)
        }
    }

    /// Sentences of 6 to 60 words from the held-out documents, in order, at most `limit`; text without such
    /// sentences (unpunctuated, or very short) gives its words in runs of up to 60 instead.
    static func sentences(_ text: CalibrationText, limit: Int) -> [String] {
        var out: [String] = []
        for doc in text.documents {
            for raw in doc.split(whereSeparator: { $0 == "." || $0 == "\n" }) {
                let s = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                let words = s.split(separator: " ").count
                if (6...60).contains(words) { out.append(s + ".") }
                if out.count == limit { return out }
            }
        }
        guard out.isEmpty else { return out }
        let words = text.documents.flatMap { $0.split(whereSeparator: \.isWhitespace) }
        return stride(from: 0, to: words.count, by: 60).prefix(limit).map { words[$0..<min($0 + 60, words.count)].joined(separator: " ") }
    }
}
