import Testing
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
        #expect(abs(map.values.reduce(0, +) - exact) < 1e-12 * exact)
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
        for (a, b) in zip(pooled.values, map.values) { #expect(abs(a - b) <= 1e-12 * max(1e-9, abs(b)) + 1e-15) }
    }

    @Test func aPerfectQuantizationHasAnEmptyMap() {
        let map = ErrorMap(weights: Self.problem.weights, quantized: Self.problem.weights, hessian: Self.problem.hessian)
        #expect(map.relativeError == 0 && map.values.allSatisfy { $0 == 0 })
    }
}
