import Testing
@testable import QuantCore

@Suite struct BadInputTests {
    let sigma = Matrix<Double>.identity(4)
    let w = Matrix<Float>(rows: 2, cols: 4, storage: [1, 2, 3, 4, 5, 6, 7, 8])

    @Test func shapeMismatch() {
        #expect(throws: QuantError.shapeMismatch(weights: [2, 4], hessian: [3, 3])) {
            try LayerProblem(weights: w, hessian: .identity(3))
        }
    }

    @Test func nonFiniteValues() {
        var bad = w
        bad[1, 2] = .nan
        #expect(throws: QuantError.nonFinite(matrix: "W", count: 1, row: 1, col: 2)) { try LayerProblem(weights: bad, hessian: sigma) }
        var s = sigma
        s[0, 3] = .infinity
        s[3, 0] = -.infinity
        #expect(throws: QuantError.nonFinite(matrix: "Σ", count: 2, row: 0, col: 3)) { try LayerProblem(weights: w, hessian: s) }
    }

    @Test func sigmaDiagonal() {
        #expect(throws: QuantError.noPositiveDiagonal) { try LayerProblem(weights: w, hessian: Matrix(rows: 4, cols: 4)) }
        var s = sigma
        s[2, 2] = -1
        #expect(throws: QuantError.negativeDiagonal(index: 2, value: -1)) { try LayerProblem(weights: w, hessian: s) }
    }

    @Test func optionRanges() {
        #expect(throws: QuantError.bitsOutOfRange(1)) { try GridOptions(bits: 1) }
        #expect(throws: QuantError.bitsOutOfRange(9)) { try GridOptions(bits: 9) }
        #expect(throws: QuantError.invalidGroupSize(0)) { try GridOptions(bits: 4, groupSize: 0) }
        let g = try! GridOptions(bits: 3)
        #expect(throws: QuantError.outlierFractionOutOfRange(0.6)) { try OutlierQuantEaseOptions(grid: g, fraction: 0.6) }
        #expect(throws: QuantError.outlierFractionOutOfRange(-0.01)) { try OutlierQuantEaseOptions(grid: g, fraction: -0.01) }
        #expect(throws: QuantError.self) { try QuantEaseOptions(grid: g, sweeps: 0) }
        #expect(throws: QuantError.self) { try GPTQOptions(grid: g, dampingFraction: -1) }
        #expect(QuantError.bitsOutOfRange(9).description == "bits must be in 2…8, got 9")
    }

    @Test func indefiniteSigmaRaisesDampingAndSaysSo() throws {
        // Σ with a negative eigenvalue (but positive diagonal): Cholesky fails at 1% damping.
        let s = Matrix<Double>(rows: 2, cols: 2, storage: [1, 1.5, 1.5, 1])
        let problem = try LayerProblem(weights: Matrix<Float>(rows: 1, cols: 2, storage: [0.3, -0.2]), hessian: s)
        let r = try GPTQ.solve(problem, options: try GPTQOptions(grid: try GridOptions(bits: 4)))
        #expect(r.notes.contains { $0.contains("not positive-definite") })
    }
}
