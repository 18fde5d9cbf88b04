/// A solver configuration the benchmark times, named the same way for the numpy reference script.
public struct BenchMethod: Sendable, Codable, Equatable {
    /// The solver family.
    public enum Kind: String, Sendable, Codable {
        case rtn, gptq, quantease, outlier
    }
    public var kind: Kind
    public var sweeps: Int
    public var actOrder: Bool
    /// QuantEase only: start from a GPTQ result (and round every sweep) instead of from W.
    public var fromGPTQ: Bool
    public var outlierFraction: Double

    public init(kind: Kind, sweeps: Int = 30, actOrder: Bool = false, fromGPTQ: Bool = false, outlierFraction: Double = 0.01) {
        self.kind = kind
        self.sweeps = sweeps
        self.actOrder = actOrder
        self.fromGPTQ = fromGPTQ
        self.outlierFraction = outlierFraction
    }

    /// A stable label, e.g. `quantease-gptq-3sweeps`.
    public var label: String {
        switch kind {
        case .rtn: return "rtn"
        case .gptq: return actOrder ? "gptq-actorder" : "gptq"
        case .quantease: return "quantease-\(fromGPTQ ? "gptq" : "w")-\(sweeps)sweeps"
        case .outlier: return "quantease-outlier-\(outlierFraction * 100)%-\(sweeps)sweeps"
        }
    }

    /// The full solver settings at `bits`, per-row asymmetric grids (the reference defaults).
    public func method(bits: Int) throws -> LayerMethod {
        let grid = try GridOptions(bits: bits)
        switch kind {
        case .rtn:
            return .rtn(grid)
        case .gptq:
            return .gptq(try GPTQOptions(grid: grid, actOrder: actOrder))
        case .quantease:
            let start: QuantEaseInit = fromGPTQ ? .gptq(try GPTQOptions(grid: grid)) : .weights
            return .quantease(try QuantEaseOptions(grid: grid, sweeps: sweeps, schedule: fromGPTQ ? .alwaysRound : .relaxed,
                                                   initialization: start))
        case .outlier:
            return .outlierQuantEase(try OutlierQuantEaseOptions(grid: grid, fraction: outlierFraction, sweeps: sweeps))
        }
    }

    /// The methods of the speed table.
    public static let speedSet: [BenchMethod] = [
        BenchMethod(kind: .rtn), BenchMethod(kind: .gptq),
        BenchMethod(kind: .quantease), BenchMethod(kind: .quantease, fromGPTQ: true),
        BenchMethod(kind: .outlier),
    ]

    /// The methods of the quality table (research note §1.8).
    public static let qualitySet: [BenchMethod] = [
        BenchMethod(kind: .rtn), BenchMethod(kind: .gptq), BenchMethod(kind: .gptq, actOrder: true),
        BenchMethod(kind: .quantease),
        BenchMethod(kind: .quantease, sweeps: 1, fromGPTQ: true), BenchMethod(kind: .quantease, sweeps: 3, fromGPTQ: true),
        BenchMethod(kind: .quantease, sweeps: 10, fromGPTQ: true),
        BenchMethod(kind: .outlier),
    ]
}

/// One timed solve.
public struct BenchMeasurement: Sendable, Codable {
    public var seconds: Double
    /// rel_err of the deployed weight (grid + outliers), fp64.
    public var relErr: Double
}

extension BenchMethod {
    /// Solves in `Float` and measures wall time (solve only) and the fp64 rel_err of the answer.
    public func measure(_ problem: LayerProblem<Float>, bits: Int) throws -> BenchMeasurement {
        let r = try method(bits: bits).solve(problem)
        let err = Objective.relativeError(weights: problem.weights, quantized: r.layer.dequantized(), hessian: problem.hessian)
        return BenchMeasurement(seconds: r.seconds, relErr: err)
    }
}
