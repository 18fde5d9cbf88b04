/// When a QuantEase sweep rounds onto the grid.
public enum SweepSchedule: String, Sendable, Codable, CaseIterable {
    /// The reference schedule: sweeps t with t % 3 == 1 and t ≤ 25 (except the last) stay unrounded.
    case relaxed
    /// Every sweep rounds (fmchisel).
    case alwaysRound

    /// Whether sweep `t` (0-based) of `total` rounds.
    public func rounds(sweep t: Int, of total: Int) -> Bool {
        switch self {
        case .alwaysRound: return true
        case .relaxed: return t % 3 != 1 || t == total - 1 || t > 25
        }
    }
}

/// Which code runs the sweeps. Both give the same codes; a test says so.
public enum SweepImplementation: Sendable, Equatable, Codable {
    /// The upstream vectorisation, code for code (parity mode).
    case reference
    /// Lazy-batch blocks of `blockSize` columns on GEMM (the fast path).
    case blocked(blockSize: Int)
}

/// Where QuantEase starts.
public enum QuantEaseInit: Sendable, Equatable, Codable {
    /// Ŵ⁰ = W, grids fitted on W (the reference `quantease`).
    case weights
    /// Ŵ⁰ = a GPTQ result, and CD keeps GPTQ's grids (`gptq_quantease`, fmchisel).
    case gptq(GPTQOptions)
}

/// Settings of QuantEase coordinate descent.
public struct QuantEaseOptions: Sendable, Equatable, Codable {
    public var grid: GridOptions
    public var sweeps: Int
    public var schedule: SweepSchedule
    public var initialization: QuantEaseInit
    /// Visit columns in descending diag(Σ) order (also sets group membership in that order).
    public var actOrder: Bool
    public var implementation: SweepImplementation

    public init(grid: GridOptions, sweeps: Int = 30, schedule: SweepSchedule = .relaxed, initialization: QuantEaseInit = .weights,
                actOrder: Bool = false, implementation: SweepImplementation = .blocked(blockSize: 128)) throws {
        guard sweeps >= 1 else { throw QuantError.invalidOption(name: "sweeps", value: "\(sweeps)", expected: "≥ 1") }
        if case let .blocked(b) = implementation, b < 1 {
            throw QuantError.invalidOption(name: "block_size", value: "\(b)", expected: "≥ 1")
        }
        self.grid = grid
        self.sweeps = sweeps
        self.schedule = schedule
        self.initialization = initialization
        self.actOrder = actOrder
        self.implementation = implementation
    }
}

/// QuantEase: cyclic coordinate descent on the layer objective with every column update rounded to the
/// grid (no matrix inversion). Grids are fixed for all sweeps; only the integer codes change.
public enum QuantEase {
    public static func solve<S: BLASScalar>(_ problem: LayerProblem<S>, options: QuantEaseOptions,
                                            control: SolverControl = .silent) throws -> SolveResult<S> {
        let clock = Stopwatch()
        let q = problem.outFeatures, p = problem.inFeatures
        var notes: [String] = []
        let layout = WorkingLayout<S>(rows: q, cols: p,
                                      order: WorkingLayout<S>.columnOrder(diagonal: problem.hessian.diagonal, actOrder: options.actOrder))
        let wt = layout.gather(problem.weights)
        let cd: CoordinateDescent<S>
        var onGrid: Bool
        switch options.initialization {
        case .weights:
            let table = GridTable.fitted(wt, layout: layout, options: options.grid)
            cd = CoordinateDescent(sigma: layout.permute(problem.hessian), targetT: wt, start: wt, table: table, rows: q)
            onGrid = false
        case let .gptq(gopts):
            var g = gopts
            g.grid = options.grid
            let start = try GPTQ.solve(problem, options: g, control: SolverControl(isCancelled: control.isCancelled))
            notes += start.notes.map { "GPTQ start: \($0)" }
            var table = GridTable<S>(rows: q, bits: options.grid.bits)
            table.scales = start.layer.grid.scales
            table.zeros = start.layer.grid.zeros
            table.groupOf = layout.order.map { Int(start.layer.grid.groupIndex[$0]) }
            cd = CoordinateDescent(sigma: layout.permute(problem.hessian), targetT: wt,
                                   start: layout.gather(start.layer.gridWeights()), table: table, rows: q)
            cd.roundAll()
            onGrid = true
        }
        let dead = problem.deadColumns.count
        if dead > 0 { notes.append("\(dead) dead input column(s) (Σ_jj = 0) keep their rounded weights") }

        let denominator = PartialObjective.weightTrace(problem.weights, sigma: problem.hessian)
        let pt = options.implementation == .reference ? cd.referenceTarget() : []
        // The codes say everything about an on-grid iterate, so the best one is kept as codes alone.
        var best: (objective: Double, codes: [UInt8])? = nil
        if onGrid {
            cd.refreshResidual()
            best = (cd.residualObjective(), cd.codes)
        }
        var history: [SolverProgress] = []
        var cancelled = false
        for t in 0..<options.sweeps {
            let round = options.schedule.rounds(sweep: t, of: options.sweeps)
            let changed: Int?
            switch options.implementation {
            case .reference: changed = cd.referenceSweep(round: round, pt: pt, isCancelled: control.isCancelled)
            case let .blocked(b): changed = cd.blockedSweep(round: round, blockSize: b, isCancelled: control.isCancelled)
            }
            guard let changed else { cancelled = true; break }
            let objective: Double
            if case .reference = options.implementation {
                objective = Objective.quadraticTrace(Matrix(rows: p, cols: q, storage: wt.indices.map { Double(wt[$0] - cd.wht[$0]) }).transposed,
                                                     layout.permute(problem.hessian))
            } else {
                objective = cd.residualObjective()
            }
            let step = SolverProgress(step: t + 1, totalSteps: options.sweeps, relativeError: denominator > 0 ? objective / denominator : 0,
                                      codesChanged: round && onGrid ? changed : nil, outliers: 0, onGrid: round, elapsed: clock.seconds)
            if round {
                onGrid = true
                if best == nil || objective <= best!.objective { best = (objective, cd.codes) }
            }
            history.append(step)
            control.report(step)
        }
        if cancelled {
            if let best {
                cd.codes = best.codes
            } else {
                cd.roundAll()
            }
            notes.append("cancelled after \(history.count) of \(options.sweeps) sweeps; kept the best on-grid iterate")
        }
        let layer = QuantizedLayer(layout: layout, codesT: cd.codes, table: cd.table, bits: options.grid.bits)
        return SolveResult(layer: layer, history: history, cancelled: cancelled, notes: notes, seconds: clock.seconds)
    }
}
