import Testing
@testable import QuantCore

@Suite struct GramAccumulatorTests {
    /// Σ_b Σ_t x_ti x_tj, summed entry by entry in fp64.
    private func naiveGram(_ batches: [Matrix<Float>], features n: Int) -> Matrix<Double> {
        var s = Matrix<Double>(rows: n, cols: n)
        for b in batches {
            for t in 0..<b.rows {
                for i in 0..<n { for j in 0..<n { s[i, j] += Double(b[t, i]) * Double(b[t, j]) } }
            }
        }
        return s
    }

    private func randomBatch(tokens: Int, features: Int, _ rng: inout SeededGenerator) -> Matrix<Float> {
        Matrix(rows: tokens, cols: features) { _, _ in Float(rng.normal()) }
    }

    @Test func matchesTheNaiveSumOverSeveralBatches() throws {
        var rng = SeededGenerator(seed: 7)
        let batches = [randomBatch(tokens: 5, features: 6, &rng), randomBatch(tokens: 1, features: 6, &rng),
                       randomBatch(tokens: 13, features: 6, &rng)]
        var gram = GramAccumulator(features: 6)
        for b in batches { try gram.add(b) }
        let expected = naiveGram(batches, features: 6)
        let sigma = gram.sigma
        #expect(gram.tokens == 19)
        #expect(sigma.shape == [6, 6])
        // fp64 sums of 19 products of fp32 values (exact in fp64) in two orders: ≤ 2γ₁₉ ≈ 4.2e-15 of
        // Σ_t |x_ti·x_tj| (≲ 40 for 19 unit-normal tokens), i.e. < 2e-13.
        for i in 0..<36 { #expect(abs(sigma.storage[i] - expected.storage[i]) <= 1e-12 * max(1, abs(expected.storage[i]))) }
        #expect(sigma == sigma.transposed)
        var taken = gram
        #expect(taken.takeSigma() == sigma)
        #expect(taken.features == 0 && taken.tokens == 0 && gram.sigma == sigma)
        #expect(throws: GramAccumulator.BatchError.widthMismatch(expected: 0, got: 6)) { try taken.add(batches[0]) }
    }

    @Test func accumulatesInDoublePrecision() throws {
        // 1 + 2⁻²⁰ squared keeps its 2⁻⁴⁰ term only in fp64.
        let x = Float(1 + 0x1p-20)
        var gram = GramAccumulator(features: 1)
        try gram.add(Matrix(rows: 1, cols: 1, storage: [x]))
        #expect(gram.sigma[0, 0] == Double(x) * Double(x))
        #expect(gram.sigma[0, 0] != Double(x * x))
    }

    @Test func rejectsBadBatchesAndKeepsTheSum() throws {
        var gram = GramAccumulator(features: 2)
        try gram.add(Matrix(rows: 1, cols: 2, storage: [1, 2]))
        #expect(throws: GramAccumulator.BatchError.widthMismatch(expected: 2, got: 3)) {
            try gram.add(Matrix(rows: 1, cols: 3, storage: [1, 2, 3]))
        }
        #expect(throws: GramAccumulator.BatchError.nonFinite(row: 1, col: 0)) {
            try gram.add(Matrix(rows: 2, cols: 2, storage: [1, 1, .nan, 1]))
        }
        try gram.add(Matrix(rows: 0, cols: 2))
        #expect(gram.tokens == 1)
        #expect(gram.sigma.storage == [1, 2, 2, 4])
    }
}
