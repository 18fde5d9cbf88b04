/// A solver configuration the benchmark times, named the same way for the numpy reference script.
public struct BenchMethod: Sendable, Codable, Equatable {
    /// The solver family.
    public enum Kind: String, Sendable, Codable {
        case rtn, gptq, quantease, outlier, aqlm
    }
    public var kind: Kind
    public var sweeps: Int
    public var actOrder: Bool
    /// QuantEase only: start from a GPTQ result (and round every sweep) instead of from W.
    public var fromGPTQ: Bool
    public var outlierFraction: Double
    /// AQLM only: the scheme (`codebooks`x`codebookBits`g8) and a fixed number of epochs (no early stop).
    public var codebooks: Int
    public var codebookBits: Int
    public var epochs: Int
    public var stepsPerEpoch: Int

    public init(kind: Kind, sweeps: Int = 30, actOrder: Bool = false, fromGPTQ: Bool = false, outlierFraction: Double = 0.01,
                codebooks: Int = 2, codebookBits: Int = 8, epochs: Int = 10, stepsPerEpoch: Int = 20) {
        self.kind = kind
        self.sweeps = sweeps
        self.actOrder = actOrder
        self.fromGPTQ = fromGPTQ
        self.outlierFraction = outlierFraction
        self.codebooks = codebooks
        self.codebookBits = codebookBits
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
    }

    /// A stable label, e.g. `quantease-gptq-3sweeps`.
    public var label: String {
        switch kind {
        case .rtn: return "rtn"
        case .gptq: return actOrder ? "gptq-actorder" : "gptq"
        case .quantease: return "quantease-\(fromGPTQ ? "gptq" : "w")-\(sweeps)sweeps"
        case .outlier: return "quantease-outlier-\(outlierFraction * 100)%-\(sweeps)sweeps"
        case .aqlm: return "aqlm-\(codebooks)x\(codebookBits)g8-\(epochs)epochs"
        }
    }

    /// The full solver settings at `bits`, per-row asymmetric grids (the schema's defaults); AQLM's width
    /// comes from its scheme, so it ignores `bits`. QuantEase from GPTQ rounds every sweep (fmchisel).
    public func method(bits: Int) throws -> LayerMethod {
        try MethodSchema.method(methodName, values: values(bits: bits))
    }

    /// The schema name of the solver family.
    public var methodName: MethodName {
        switch kind {
        case .rtn: return .rtn
        case .gptq: return .gptq
        case .quantease: return .quantease
        case .outlier: return .quanteaseOutlier
        case .aqlm: return .aqlm
        }
    }

    /// The settings this configuration names; the rest are the schema's defaults.
    public func values(bits: Int) -> [String: SettingValue] {
        switch kind {
        case .rtn: return ["bits": .int(bits)]
        case .gptq: return ["bits": .int(bits), "act_order": .bool(actOrder)]
        case .quantease:
            return ["bits": .int(bits), "sweeps": .int(sweeps), "act_order": .bool(actOrder), "init": .choice(fromGPTQ ? "gptq" : "w"),
                    "schedule": .choice((fromGPTQ ? SweepSchedule.alwaysRound : .relaxed).name)]
        case .outlier: return ["bits": .int(bits), "outlier_fraction": .double(outlierFraction), "sweeps": .int(sweeps)]
        case .aqlm:
            return ["num_codebooks": .int(codebooks), "nbits_per_codebook": .int(codebookBits), "in_group_size": .int(8),
                    "max_epochs": .int(epochs), "steps_per_epoch": .int(stepsPerEpoch), "relative_tolerance": SettingValue.none]
        }
    }

    /// The methods of the speed table.
    public static let speedSet: [BenchMethod] = [
        BenchMethod(kind: .rtn), BenchMethod(kind: .gptq),
        BenchMethod(kind: .quantease), BenchMethod(kind: .quantease, fromGPTQ: true),
        BenchMethod(kind: .outlier),
    ]

    /// AQLM 2x8g8 and 1x8g8, 10 epochs of 20 Adam steps each (a fixed count, so timings compare).
    public static let aqlmSet: [BenchMethod] = [
        BenchMethod(kind: .aqlm, codebooks: 2, codebookBits: 8), BenchMethod(kind: .aqlm, codebooks: 1, codebookBits: 8),
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
    /// Storage bits per weight of the answer (codes, grid or codebook overhead, outliers).
    public var bitsPerWeight: Double
}

extension BenchMethod {
    /// Solves in `Float` and measures wall time (solve only) and the fp64 rel_err of the answer.
    public func measure(_ problem: LayerProblem<Float>, bits: Int) throws -> BenchMeasurement {
        let r = try method(bits: bits).solve(problem)
        let err = Objective.relativeError(weights: problem.weights, quantized: r.layer.dequantized(), hessian: problem.hessian)
        return BenchMeasurement(seconds: r.seconds, relErr: err, bitsPerWeight: r.layer.bitsPerWeight)
    }
}
