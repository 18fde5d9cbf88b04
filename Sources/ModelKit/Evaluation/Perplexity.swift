import Foundation
import QuantCore

/// Perplexity over evaluation windows: `exp(mean over windows of the per-window mean NLL)`, where row t of a
/// window's logits predicts token t + 1 and the log-softmax runs in fp64.
///
/// ```swift
/// var ppl = PerplexityAccumulator()
/// for window in windows { try ppl.add(logits: model.forward(window), tokens: window) }
/// print(try ppl.perplexity())
/// ```
public struct PerplexityAccumulator: Sendable {
    /// Windows added so far.
    public private(set) var windows = 0
    private var sumOfMeans = 0.0

    /// No windows yet.
    public init() {}

    /// Adds one window: `logits` `[tokens, vocabulary]` from a forward pass over `tokens`.
    public mutating func add<S: BLASScalar>(logits: Matrix<S>, tokens: [Int]) throws(EvaluationError) {
        sumOfMeans += try Self.meanNegativeLogLikelihood(logits: logits, tokens: tokens)
        windows += 1
    }

    /// The mean over windows of the per-window mean NLL (nats per token).
    public func meanNegativeLogLikelihood() throws(EvaluationError) -> Double {
        guard windows > 0 else { throw .noWindows }
        return sumOfMeans / Double(windows)
    }

    /// `exp` of ``meanNegativeLogLikelihood()``.
    public func perplexity() throws(EvaluationError) -> Double {
        exp(try meanNegativeLogLikelihood())
    }

    /// The mean over t < T − 1 of `−log softmax(logits[t])[tokens[t + 1]]`, in fp64.
    public static func meanNegativeLogLikelihood<S: BLASScalar>(logits: Matrix<S>, tokens: [Int]) throws(EvaluationError) -> Double {
        guard logits.rows == tokens.count else { throw .lengthMismatch(rows: logits.rows, tokens: tokens.count) }
        guard tokens.count >= 2 else { throw .windowTooShort(tokens: tokens.count) }
        let v = logits.cols
        var total = 0.0
        for t in 0..<(tokens.count - 1) {
            let target = tokens[t + 1]
            guard target >= 0, target < v else { throw .tokenOutOfRange(position: t + 1, id: target, vocabulary: v) }
            let row = logits.storage[t * v..<(t + 1) * v].map(Double.init)
            if let bad = row.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(row: t, col: bad) }
            let peak = row.max() ?? 0
            let logSumExp = peak + log(row.reduce(0) { $0 + exp($1 - peak) })
            total += logSumExp - row[target]
        }
        return total / Double(tokens.count - 1)
    }
}
