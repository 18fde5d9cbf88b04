import Foundation
import QuantCore
import Testing
@testable import ModelKit

@Suite("Evaluation metrics")
struct EvaluationMetricsTests {
    @Test func perplexityIsExpOfTheMeanOfWindowMeans() throws {
        // Window 1: row 0 uniform → −log ½ for token 1; row 1 = [ln 3, 0] → −log ¾ for token 0; row 2 unused.
        let w1 = Matrix<Float>(rows: 3, cols: 2, storage: [0, 0, Float(log(3.0)), 0, 5, -5])
        let nll1 = try PerplexityAccumulator.meanNegativeLogLikelihood(logits: w1, tokens: [0, 1, 0])
        // Float(log 3) is off by ≤ u·log 3 ≈ 6.5e-8, which moves that token's NLL by a quarter of that; the
        // rest is fp64.
        #expect(abs(nll1 - (log(2.0) + log(4.0 / 3)) / 2) < 1e-7)
        // Window 2: one uniform prediction.
        let w2 = Matrix<Double>(rows: 2, cols: 2, storage: [0, 0, 9, 9])
        var ppl = PerplexityAccumulator()
        try ppl.add(logits: w1, tokens: [0, 1, 0])
        try ppl.add(logits: w2.converted(to: Float.self), tokens: [1, 1])
        #expect(ppl.windows == 2)
        let expected = pow(8.0 / 3, 0.25) * 2.0.squareRoot()
        #expect(abs(try ppl.perplexity() - expected) < 1e-6)      // the same 1e-8 in the NLL, times ppl ≈ 1.8
        #expect(try PerplexityAccumulator.meanNegativeLogLikelihood(logits: w2, tokens: [1, 0]) == log(2.0))
    }

    @Test func logSoftmaxIsStableForLargeLogits() throws {
        let logits = Matrix<Float>(rows: 2, cols: 2, storage: [1000, 0, 0, 0])
        #expect(try PerplexityAccumulator.meanNegativeLogLikelihood(logits: logits, tokens: [0, 1]) == 1000)
        #expect(try PerplexityAccumulator.meanNegativeLogLikelihood(logits: logits, tokens: [0, 0]) == 0)
    }

    @Test func perplexityRejectsBadWindows() throws {
        let logits = Matrix<Float>(rows: 2, cols: 3)
        #expect(throws: EvaluationError.lengthMismatch(rows: 2, tokens: 3)) {
            try PerplexityAccumulator.meanNegativeLogLikelihood(logits: logits, tokens: [0, 1, 2])
        }
        #expect(throws: EvaluationError.windowTooShort(tokens: 1)) {
            try PerplexityAccumulator.meanNegativeLogLikelihood(logits: Matrix<Float>(rows: 1, cols: 3), tokens: [0])
        }
        #expect(throws: EvaluationError.tokenOutOfRange(position: 1, id: 3, vocabulary: 3)) {
            try PerplexityAccumulator.meanNegativeLogLikelihood(logits: logits, tokens: [0, 3])
        }
        #expect(throws: EvaluationError.nonFinite(row: 0, col: 2)) {
            try PerplexityAccumulator.meanNegativeLogLikelihood(logits: Matrix<Float>(rows: 2, cols: 3, storage: [0, 0, .nan, 0, 0, 0]), tokens: [0, 1])
        }
        #expect(throws: EvaluationError.noWindows) { try PerplexityAccumulator().perplexity() }
    }

    @Test func meanCosineAndNearestNeighbourAgreement() throws {
        let reference = Matrix<Float>(rows: 3, cols: 2, storage: [1, 0, 0, 1, 1, 1])
        let candidate = Matrix<Float>(rows: 3, cols: 2, storage: [2, 0, 0, 3, 1, -1])
        // Cosines 1, 1, 0. Nearest others: reference 2, 2, 0 (tie → lower index); candidate 2, 0, 0.
        // fp64 on 2-vectors: a few ulps.
        #expect(abs(try EmbeddingAgreement.meanCosine(reference: reference, candidate: candidate) - 2.0 / 3) < 1e-12)
        #expect(try EmbeddingAgreement.nearestNeighbourAgreement(reference: reference, candidate: candidate) == 2.0 / 3)
        #expect(try EmbeddingAgreement.nearestNeighbourAgreement(reference: reference, candidate: reference) == 1)
        #expect(abs(try EmbeddingAgreement.meanCosine(reference: candidate, candidate: candidate) - 1) < 1e-12)
    }

    @Test func zeroVectorsHaveCosineZero() throws {
        let a = Matrix<Double>(rows: 2, cols: 2, storage: [0, 0, 1, 0])
        let b = Matrix<Double>(rows: 2, cols: 2, storage: [1, 0, 4, 0])
        #expect(try EmbeddingAgreement.meanCosine(reference: a, candidate: b) == 0.5)
    }

    @Test func embeddingMetricsRejectBadInput() throws {
        let two = Matrix<Float>(rows: 2, cols: 2, storage: [1, 0, 0, 1])
        #expect(throws: EvaluationError.shapeMismatch(reference: [2, 2], candidate: [1, 2])) {
            try EmbeddingAgreement.meanCosine(reference: two, candidate: Matrix(rows: 1, cols: 2))
        }
        #expect(throws: EvaluationError.tooFewRows(have: 1, need: 2)) {
            try EmbeddingAgreement.nearestNeighbourAgreement(reference: Matrix<Float>(rows: 1, cols: 2), candidate: Matrix(rows: 1, cols: 2))
        }
        #expect(throws: EvaluationError.tooFewRows(have: 0, need: 1)) {
            try EmbeddingAgreement.meanCosine(reference: Matrix<Float>(rows: 0, cols: 2), candidate: Matrix(rows: 0, cols: 2))
        }
        #expect(throws: EvaluationError.nonFinite(row: 1, col: 0)) {
            try EmbeddingAgreement.meanCosine(reference: two, candidate: Matrix(rows: 2, cols: 2, storage: [1, 0, .infinity, 1]))
        }
    }
}
