import Testing
import FloatBounds
@testable import QuantCore

@Suite struct ErrorMapTests {
    static let problem = SyntheticProblem(rows: 100, cols: 150, tokens: 600, seed: 3).make()

    static var quantized: Matrix<Float> {
        RTN.solve(problem, grid: try! GridOptions(bits: 3)).layer.gridWeights()
    }

    @Test func cellsSumToTheObjective() {
        let map = ErrorMap(weights: Self.problem.weights, quantized: Self.quantized, hessian: Self.problem.hessian)
        let exact = Objective.relativeError(weights: Self.problem.weights, quantized: Self.quantized, hessian: Self.problem.hessian)
        #expect(exact > 0)
        #expect(map.relativeError == exact)
        // The same 150·100 fp64 products Δ·(ΔΣ), summed cell by cell instead of in one run: at most
        // 2γ₁₅₀₀₀ ≈ 3.3e-12 of their absolute sum apart, which the one-cell-per-entry map gives.
        let full = ErrorMap(weights: Self.problem.weights, quantized: Self.quantized, hessian: Self.problem.hessian, maxRows: 1000, maxColumns: 1000)
        let magnitude = full.values.reduce(0) { $0 + abs($1) }
        #expect(abs(map.values.reduce(0, +) - exact) <= 2 * FloatSums.gamma64(150 * 100 + 2) * magnitude)
        #expect(map.rows == 48 && map.columns == 64)
    }

    @Test func binsAreContiguousAndEachRowBinIsNonNegative() {
        let map = ErrorMap(weights: Self.problem.weights, quantized: Self.quantized, hessian: Self.problem.hessian, maxRows: 7, maxColumns: 9)
        #expect(map.rowStarts == [0, 15, 29, 43, 58, 72, 86])
        #expect(map.columnStarts.first == 0 && map.columnStarts.count == 9 && map.columnStarts.last! < 150)
        for r in 0..<map.rows {
            #expect((0..<map.columns).reduce(0.0) { $0 + map[r, $1] } >= 0)
        }
        // One bin per row and channel: each cell is Δ_oc·(ΔΣ)_oc / tr(WΣWᵀ).
        let full = ErrorMap(weights: Self.problem.weights, quantized: Self.quantized, hessian: Self.problem.hessian, maxRows: 1000, maxColumns: 1000)
        #expect(full.rows == 100 && full.columns == 150 && full.rowStarts[99] == 99)
        let pooled = full.pooled(maxRows: 7, maxColumns: 9)
        #expect(pooled.rowStarts == map.rowStarts && pooled.columnStarts == map.columnStarts)
        // Each cell: the same ≤ 15·17 fp64 products (times 1/den) summed in two groupings, ≤ 2γ₂₅₅ of their
        // absolute sum, which pooling the one-entry cells' absolute values gives.
        let magnitudes = ErrorMap(rowStarts: full.rowStarts, columnStarts: full.columnStarts, values: full.values.map(abs),
                                  relativeError: 0).pooled(maxRows: 7, maxColumns: 9)
        for ((a, b), m) in zip(zip(pooled.values, map.values), magnitudes.values) { #expect(abs(a - b) <= 2 * FloatSums.gamma64(15 * 17 + 2) * m) }
    }

    @Test func aPerfectQuantizationHasAnEmptyMap() {
        let map = ErrorMap(weights: Self.problem.weights, quantized: Self.problem.weights, hessian: Self.problem.hessian)
        #expect(map.relativeError == 0 && map.values.allSatisfy { $0 == 0 })
    }
}
