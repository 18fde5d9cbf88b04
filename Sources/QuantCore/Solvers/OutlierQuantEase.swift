/// How the full-precision outlier budget is shaped.
public enum OutlierStructure: String, Sendable, Codable, CaseIterable {
    /// Any `round(fraction · out · in)` weights.
    case unstructured
    /// `round(fraction · in)` whole input columns.
    case columns
}

/// Settings of outlier-aware QuantEase.
public struct OutlierQuantEaseOptions: Sendable, Equatable, Codable {
    public var grid: GridOptions
    public var fraction: Double
    public var structure: OutlierStructure
    public var sweeps: Int
    /// Step η = α / (2·λmax(Σ)) of the hard-thresholding step.
    public var alpha: Double
    public var schedule: SweepSchedule
    public var blockSize: Int

    public init(grid: GridOptions, fraction: Double = 0.01, structure: OutlierStructure = .unstructured, sweeps: Int = 30,
                alpha: Double = 1, schedule: SweepSchedule = .relaxed, blockSize: Int = 128) throws {
        guard fraction >= 0, fraction <= 0.5 else { throw QuantError.outlierFractionOutOfRange(fraction) }
        guard sweeps >= 1 else { throw QuantError.invalidOption(name: "sweeps", value: "\(sweeps)", expected: "≥ 1") }
        guard alpha > 0, alpha < 2 else { throw QuantError.invalidOption(name: "alpha", value: "\(alpha)", expected: "in (0, 2): a longer step is not a descent") }
        guard blockSize >= 1 else { throw QuantError.invalidOption(name: "block_size", value: "\(blockSize)", expected: "≥ 1") }
        guard grid.groupSize == -1 else { throw QuantError.unsupported("outlier-aware QuantEase uses one grid per row (group size -1)") }
        self.grid = grid
        self.fraction = fraction
        self.structure = structure
        self.sweeps = sweeps
        self.alpha = alpha
        self.schedule = schedule
        self.blockSize = blockSize
    }

    /// The budget for a layer of `rows × cols`: weights (unstructured) or columns (structured).
    public func budget(rows: Int, cols: Int) -> Int {
        let n = structure == .unstructured ? Double(rows * cols) * fraction : Double(cols) * fraction
        return Int(n.rounded(.toNearestOrEven))
    }
}

/// Outlier-aware QuantEase: min ‖WX − (Ŵ+H)X‖² with Ŵ on the grid and H sparse, by alternating one CD
/// sweep on Ŵ (target W − H) with one iterative hard-thresholding step
/// H ← P_s(H − η·(Ŵ + H − W)Σ), η = α/(2·λmax(Σ)) (research note §1.4, the corrected alternation).
public enum OutlierQuantEase {
    /// The relative error past which a run counts as diverged: well above zeroing the layer (1).
    static let divergenceLimit = 10.0

    public static func solve<S: BLASScalar>(_ problem: LayerProblem<S>, options: OutlierQuantEaseOptions,
                                            control: SolverControl = .silent) throws -> SolveResult<S> {
        let clock = Stopwatch()
        let q = problem.outFeatures, p = problem.inFeatures
        let layout = WorkingLayout<S>(rows: q, cols: p, order: Array(0..<p))
        let wt = layout.gather(problem.weights)
        let k = options.budget(rows: q, cols: p)
        let eta = options.alpha / LAPACK.largestEigenvalue(problem.hessian) / 2
        var selector = Thresholding<S>(rows: q, cols: p, budget: k, structure: options.structure)

        var ht = selector.project(wt)
        var start = wt
        for i in ht.indices where ht[i] != 0 { start[i] = 0 }
        if options.structure == .columns { selector.zeroSelectedColumns(&start) }
        var table = GridTable<S>(rows: q, bits: options.grid.bits)
        _ = table.append(gridFor(wt, layout: layout, selector: selector, options: options))
        table.groupOf = [Int](repeating: 0, count: p)
        let cd = CoordinateDescent(sigma: problem.hessian, targetT: zip(wt, ht).map { $0 - $1 }, start: start, table: table, rows: q)
        cd.refreshResidual()

        let denominator = PartialObjective.weightTrace(problem.weights, sigma: problem.hessian)
        var best: (objective: Double, codes: [UInt8], ht: [S])? = nil
        var history: [SolverProgress] = []
        var onGrid = false
        var cancelled = false
        for t in 0..<options.sweeps {
            if options.structure == .columns && t > 0 {
                cd.table.replace(0, with: gridFor(wt, layout: layout, selector: selector, options: options))
            }
            let round = options.schedule.rounds(sweep: t, of: options.sweeps)
            guard let changed = cd.blockedSweep(round: round, blockSize: options.blockSize, isCancelled: control.isCancelled) else {
                cancelled = true
                break
            }
            // IHT: H − η·(Ŵ + H − W)Σ = H + η·Σ_jj·(R_j − Ŵ_j) column by column, then keep the budget.
            var candidate = ht
            cd.withResidual { rt in
                for j in 0..<p where cd.diag[j] > 0 {
                    let f = S(eta * cd.diag[j])
                    for r in (j * q)..<((j + 1) * q) { candidate[r] += f * (rt[r] - cd.wht[r]) }
                }
            }
            ht = selector.project(candidate)
            cd.moveTarget(zip(wt, ht).map { $0 - $1 })
            let objective = cd.residualObjective()
            // A step η that is too long (α ≥ 2) makes the thresholding step grow the error without bound.
            if !objective.isFinite || objective > Self.divergenceLimit * denominator {
                throw QuantError.diverged(method: MethodName.quanteaseOutlier.rawValue, step: t + 1,
                                          relativeError: denominator > 0 ? objective / denominator : objective,
                                          limit: Self.divergenceLimit, hint: "the IHT step α = \(options.alpha) is too long; lower it")
            }
            let step = SolverProgress(step: t + 1, totalSteps: options.sweeps, relativeError: denominator > 0 ? objective / denominator : 0,
                                      codesChanged: round && onGrid ? changed : nil, outliers: selector.nonzeros(ht),
                                      onGrid: round, elapsed: clock.seconds)
            if round {
                onGrid = true
                if best == nil || objective <= best!.objective { best = (objective, cd.codes, ht) }
            }
            history.append(step)
            control.report(step)
        }
        var notes: [String] = []
        if cancelled {
            if let best {
                cd.codes = best.codes
                ht = best.ht
            } else {
                cd.roundAll()
            }
            notes.append("cancelled after \(history.count) of \(options.sweeps) iterations; kept the best on-grid iterate")
        }
        var entries: [SparseOutliers<S>.Entry] = []
        for c in 0..<p { for r in 0..<q where ht[c * q + r] != 0 { entries.append(.init(index: r * p + c, value: ht[c * q + r])) } }
        let layer = QuantizedLayer(layout: layout, codesT: cd.codes, table: cd.table, bits: options.grid.bits,
                                   outliers: SparseOutliers(entries: entries))
        return SolveResult(layer: layer, history: history, cancelled: cancelled, notes: notes, seconds: clock.seconds)
    }

    /// Unstructured: per-row trimmed min-max of the original W. Structured: min-max over the columns not
    /// currently held as outliers.
    private static func gridFor<S: BLASScalar>(_ wt: [S], layout: WorkingLayout<S>, selector: Thresholding<S>,
                                               options: OutlierQuantEaseOptions) -> GridFitting.RowGrids<S> {
        wt.withUnsafeBufferPointer { w in
            switch options.structure {
            case .unstructured:
                return GridFitting.fitTrimmed(w.baseAddress!, rows: layout.rows, columns: Array(0..<layout.cols),
                                              fraction: options.fraction, options: options.grid)
            case .columns:
                let keep = (0..<layout.cols).filter { !selector.selectedColumns.contains($0) }
                return GridFitting.fit(w.baseAddress!, rows: layout.rows, columns: keep, options: options.grid)
            }
        }
    }
}
