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

    /// GPTQ reads one triangle of Σ, QuantEase the other: a Σ that differs from its transpose is refused;
    /// one that differs by rounding only is made exactly symmetric, so every solver sees one matrix.
    @Test func sigmaMustBeSymmetric() throws {
        var s = sigma
        s[0, 3] = 0.5
        #expect(throws: QuantError.notSymmetric(row: 0, col: 3, value: 0.5, mirror: 0)) { try LayerProblem(weights: w, hessian: s) }
        s[3, 0] = 0.5 * (1 + 1e-7)
        let problem = try LayerProblem(weights: w, hessian: s)
        #expect(problem.hessian[0, 3] == problem.hessian[3, 0])
    }

    /// η = α/(2λmax) is a descent step only for α < 2; longer steps are refused, not run to 1e45.
    @Test(arguments: [0.0, 2.0, 20.0, 30.0, 1e4, .nan, .infinity])
    func outlierStepOutsideTheDescentRangeIsRefused(alpha: Double) throws {
        let grid = try GridOptions(bits: 3)
        #expect(throws: QuantError.self) { try OutlierQuantEaseOptions(grid: grid, alpha: alpha) }
        #expect(throws: MethodSchemaError.self) {
            try MethodSchema.method(.quanteaseOutlier, values: ["alpha": .double(alpha)])
        }
    }

    /// Weights whose range overflows fp32 give a typed error, never a layer of NaN.
    @Test(arguments: [Float(3e38), 5e18]) func weightsThatOverflowTheSolverAreRefused(magnitude: Float) throws {
        let huge = Matrix<Float>(rows: 2, cols: 4, storage: w.storage.enumerated().map { $0.offset % 2 == 0 ? magnitude : -magnitude })
        let problem = try LayerProblem(weights: huge, hessian: sigma)
        let rtn = LayerMethod.rtn(try GridOptions(bits: 3))
        if magnitude > 1e38 {
            #expect(throws: QuantError.nonFiniteResult(method: "rtn", maxAbsWeight: Double(magnitude))) { try rtn.solve(problem) }
        }
        let aqlm = LayerMethod.aqlm(try AQLMOptions(codebooks: 1, bits: 2, groupSize: 2, maxEpochs: 2))
        // Either a finite layer (this one is exactly representable: ±m per row) or the typed error; never NaN.
        do {
            #expect(try aqlm.solve(problem).layer.dequantized().allFinite)
        } catch let error as QuantError {
            guard case .nonFiniteResult(method: "aqlm", _) = error else { Issue.record("\(error)"); return }
        }
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
