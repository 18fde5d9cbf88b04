import Dispatch

/// One progress report: after a CD sweep, a GPTQ block of columns, or an outer iteration.
public struct SolverProgress: Sendable, Equatable, Codable {
    /// 1-based index of the sweep / block / iteration just finished.
    public var step: Int
    public var totalSteps: Int
    /// `tr(ΔΣΔᵀ)/tr(WΣWᵀ)` of the current iterate (for GPTQ: columns quantized so far, the rest exact).
    public var relativeError: Double
    /// Codes that changed since the last on-grid report; nil after a relaxed (off-grid) sweep.
    public var codesChanged: Int?
    /// Full-precision outliers currently kept.
    public var outliers: Int
    /// Whether the iterate is on the grid (false after a relaxed sweep).
    public var onGrid: Bool
    /// Seconds since the solver started.
    public var elapsed: Double
    /// Per-codebook usage after this step, for methods with codebooks (AQLM); empty otherwise.
    public var codebooks: [CodebookUsage]

    public init(step: Int, totalSteps: Int, relativeError: Double, codesChanged: Int?, outliers: Int,
                onGrid: Bool, elapsed: Double, codebooks: [CodebookUsage] = []) {
        self.step = step
        self.totalSteps = totalSteps
        self.relativeError = relativeError
        self.codesChanged = codesChanged
        self.outliers = outliers
        self.onGrid = onGrid
        self.elapsed = elapsed
        self.codebooks = codebooks
    }

    private enum CodingKeys: String, CodingKey {
        case step, totalSteps, relativeError, codesChanged, outliers, onGrid, elapsed, codebooks
    }

    /// Reads a report; `codebooks` may be absent (runs of grid methods, folders written before AQLM).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(step: try c.decode(Int.self, forKey: .step), totalSteps: try c.decode(Int.self, forKey: .totalSteps),
                  relativeError: try c.decode(Double.self, forKey: .relativeError),
                  codesChanged: try c.decodeIfPresent(Int.self, forKey: .codesChanged),
                  outliers: try c.decode(Int.self, forKey: .outliers), onGrid: try c.decode(Bool.self, forKey: .onGrid),
                  elapsed: try c.decode(Double.self, forKey: .elapsed),
                  codebooks: try c.decodeIfPresent([CodebookUsage].self, forKey: .codebooks) ?? [])
    }
}

/// What a solver is handed besides its problem: where to report progress and how to learn it should stop.
public struct SolverControl: Sendable {
    public var report: @Sendable (SolverProgress) -> Void
    public var isCancelled: @Sendable () -> Bool

    public init(report: @escaping @Sendable (SolverProgress) -> Void = { _ in },
                isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.report = report
        self.isCancelled = isCancelled
    }

    /// No reports, never cancelled.
    public static var silent: SolverControl { SolverControl() }
}

/// A solver's answer: the quantized layer, every progress report, and how the run ended.
public struct SolveResult<Scalar: BLASScalar>: Sendable {
    public var layer: QuantizedLayer<Scalar>
    public var history: [SolverProgress]
    /// True when the run stopped early on cancellation; `layer` is then the best on-grid result so far.
    public var cancelled: Bool
    /// Things the user should know (damping raised, dead columns, …).
    public var notes: [String]
    public var seconds: Double
}

/// Wall-clock seconds since it was made (the monotonic clock), for progress reports.
public struct Stopwatch: Sendable {
    public init() {}
    let start = DispatchTime.now().uptimeNanoseconds
    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
