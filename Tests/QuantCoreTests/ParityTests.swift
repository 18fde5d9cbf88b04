import Testing
@testable import QuantCore

/// 0 differing integer codes against the numpy reference ports (fp64 on both sides).
@Suite struct ParityTests {
    static let fixtures = SolverFixtures.shared

    /// rel_err against the reference's, relative. With the same codes (checked first) and fp64 on both sides,
    /// they differ only by fp64 rounding: of the grid formulas, and of tr(ΔΣΔᵀ) as sums of ≤ 48·320 + 320
    /// terms, ≤ 2γ ≈ 3.4e-12 of tr(|Δ||Σ||Δ|ᵀ), which is ≤ 12× tr(ΔΣΔᵀ) on these problems; the blocked sweeps'
    /// fp64 residual, kept over 30·320 column updates, can add ~1e-10. Measured ≤ 7e-15 (was 1e-3).
    static let relativeTolerance = 1e-9

    @Test(arguments: SolverFixtures.shared.cases("gptq").map(\.result))
    func gptqMatchesReference(_ name: String) throws {
        let c = Self.fixtures.cases.first { $0.result == name }!
        let grid = try GridOptions(bits: c.params["bits"]!.int, groupSize: c.params["groupsize"]!.int)
        let opts = try GPTQOptions(grid: grid, actOrder: c.params["actorder"]!.bool, staticGroups: c.params["static"]?.bool ?? false)
        let problem = Self.fixtures.problem(c.problem)
        let result = try GPTQ.solve(problem, options: opts)
        #expect(differingCodes(result.layer, reference: Self.fixtures.matrix(c.result)) == 0, "\(name)")
        let err = Objective.relativeError(weights: problem.weights, quantized: result.layer.gridWeights(), hessian: problem.hessian)
        #expect(abs(err - c.rel_err) < Self.relativeTolerance * c.rel_err, "\(name): rel_err \(err) vs reference \(c.rel_err)")
    }

    @Test(arguments: SolverFixtures.shared.cases("quantease").map(\.result))
    func quantEaseMatchesReference(_ name: String) throws {
        let c = Self.fixtures.cases.first { $0.result == name }!
        let grid = try GridOptions(bits: c.params["bits"]!.int, groupSize: c.params["groupsize"]!.int)
        let problem = Self.fixtures.problem(c.problem)
        for impl in [SweepImplementation.reference, .blocked(blockSize: 32)] {
            let opts = try QuantEaseOptions(grid: grid, sweeps: 30, actOrder: c.params["actorder"]!.bool, implementation: impl)
            let result = try QuantEase.solve(problem, options: opts)
            #expect(differingCodes(result.layer, reference: Self.fixtures.matrix(c.result)) == 0, "\(name) \(impl)")
            #expect(abs(result.history.last!.relativeError - c.rel_err) < Self.relativeTolerance * c.rel_err, "\(name) \(impl)")
        }
    }

    @Test(arguments: SolverFixtures.shared.cases("rtn").map(\.result))
    func rtnMatchesReference(_ name: String) throws {
        let c = Self.fixtures.cases.first { $0.result == name }!
        let result = RTN.solve(Self.fixtures.problem(c.problem), grid: try GridOptions(bits: c.params["bits"]!.int))
        #expect(differingCodes(result.layer, reference: Self.fixtures.matrix(c.result)) == 0)
    }

    @Test(arguments: SolverFixtures.shared.cases("outlier").map(\.result))
    func outlierMatchesReference(_ name: String) throws {
        let c = Self.fixtures.cases.first { $0.result == name }!
        let problem = Self.fixtures.problem(c.problem)
        let opts = try OutlierQuantEaseOptions(grid: try GridOptions(bits: c.params["bits"]!.int), fraction: c.params["fraction"]!.double)
        let result = try OutlierQuantEase.solve(problem, options: opts)
        #expect(result.layer.outliers.count == c.nnz)
        #expect(result.layer.outliers.count == opts.budget(rows: problem.outFeatures, cols: problem.inFeatures))
        let deployed = Objective.relativeError(weights: problem.weights, quantized: result.layer.dequantized(), hessian: problem.hessian)
        #expect(abs(deployed - c.rel_err_deployed!) < Self.relativeTolerance * c.rel_err_deployed!, "deployed rel_err \(deployed) vs \(c.rel_err_deployed!)")
        #expect(differingCodes(result.layer, reference: Self.fixtures.matrix(c.result)) == 0)
    }
}
