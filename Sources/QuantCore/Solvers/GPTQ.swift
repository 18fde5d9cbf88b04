/// Settings of GPTQ (IST-DASLab `fasterquant`).
public struct GPTQOptions: Sendable, Equatable, Codable {
    public var grid: GridOptions
    /// Columns per lazy-batch block.
    public var blockSize: Int = 128
    /// Damping added to diag(Σ), as a fraction of mean(diag Σ); raised ×10 on Cholesky failure.
    public var dampingFraction: Double = 0.01
    /// Quantize columns in descending diag(Σ) order.
    public var actOrder: Bool = false
    /// Fit every group's grid up front on the un-permuted W.
    public var staticGroups: Bool = false
    /// Fit dynamic group grids on the error-compensated columns instead of the reference's stale copy.
    public var freshGroupGrids: Bool = false

    public init(grid: GridOptions, blockSize: Int = 128, dampingFraction: Double = 0.01, actOrder: Bool = false,
                staticGroups: Bool = false, freshGroupGrids: Bool = false) throws {
        guard blockSize > 0 else { throw QuantError.invalidOption(name: "block_size", value: "\(blockSize)", expected: "> 0") }
        guard (0...1).contains(dampingFraction) else {
            throw QuantError.invalidOption(name: "damping", value: "\(dampingFraction)", expected: "a fraction of mean(diag Σ) in 0…1")
        }
        self.grid = grid
        self.blockSize = blockSize
        self.dampingFraction = dampingFraction
        self.actOrder = actOrder
        self.staticGroups = staticGroups
        self.freshGroupGrids = freshGroupGrids
    }
}

/// GPTQ: column-by-column rounding with optimal-brain-surgeon error feedback through the upper Cholesky
/// factor of Σ⁻¹, in lazy-batch blocks. The factorisation runs in fp64 and retries with ×10 damping.
public enum GPTQ {
    public static func solve<S: BLASScalar>(_ problem: LayerProblem<S>, options: GPTQOptions,
                                            control: SolverControl = .silent) throws -> SolveResult<S> {
        let clock = Stopwatch()
        let q = problem.outFeatures, p = problem.inFeatures, g = options.grid
        var notes: [String] = []

        // Whole-row grid from the original W, then dead columns: H_jj = 1, W[:, j] = 0.
        var w = problem.weights
        var sigma = problem.hessian
        let dead = problem.deadColumns
        for j in dead {
            sigma[j, j] = 1
            for r in 0..<q { w[r, j] = 0 }
        }
        if !dead.isEmpty { notes.append("\(dead.count) dead input column(s) (Σ_jj = 0) quantized to 0") }

        let layout = WorkingLayout<S>(rows: q, cols: p, order: WorkingLayout<S>.columnOrder(diagonal: sigma.diagonal, actOrder: options.actOrder))
        var table = GridTable<S>(rows: q, bits: g.bits)
        let identity = WorkingLayout<S>(rows: q, cols: p, order: Array(0..<p))
        if g.groupSize == -1 {
            let original = identity.gather(problem.weights)
            _ = original.withUnsafeBufferPointer { table.append(GridFitting.fit($0.baseAddress!, rows: q, columns: 0..<p, options: g)) }
            table.groupOf = [Int](repeating: 0, count: p)
        } else if options.staticGroups {
            let zeroed = identity.gather(w)
            let fitted = GridTable.fitted(zeroed, layout: identity, options: g)
            table.scales = fitted.scales
            table.zeros = fitted.zeros
            table.groupOf = layout.order.map { $0 / g.groupSize }
        } else {
            table.groupOf = (0..<p).map { $0 / g.groupSize }
        }

        let (u, damping) = try upperInverseCholesky(layout.permute(sigma), fraction: options.dampingFraction)
        if damping != options.dampingFraction {
            notes.append("Σ was not positive-definite with damping \(options.dampingFraction); used \(damping)")
        }
        // Inside a block, columns are updated eagerly within a panel and by one GEMM per panel beyond it.
        let panel = 8
        // Rows are independent given U and the grids; fresh group grids are fitted across all rows mid-block.
        let lanes = options.freshGroupGrids ? RowLanes(rows: q, threads: 1) : RowLanes(rows: q)
        let uS = u.storage.map { S($0) }
        var wt = layout.gather(w)
        let w0t = dead.isEmpty ? wt : layout.gather(problem.weights)
        var tracker = PartialObjective<S>(weightsT: w0t, sigma: layout.permute(problem.hessian), rows: q,
                                          denominator: PartialObjective.weightTrace(problem.weights, sigma: problem.hessian))
        var qt = [S](repeating: 0, count: q * p)
        var codes = [UInt8](repeating: 0, count: q * p)
        let blocks = (p + options.blockSize - 1) / options.blockSize
        var history: [SolverProgress] = []
        var block1 = [S](repeating: 0, count: q * options.blockSize)
        var err1 = [S](repeating: 0, count: q * options.blockSize)
        var cancelledAt: Int? = nil

        for (b, i1) in stride(from: 0, to: p, by: options.blockSize).enumerated() {
            if control.isCancelled() { cancelledAt = i1; break }
            let i2 = min(i1 + options.blockSize, p), nb = i2 - i1
            wt.withUnsafeMutableBufferPointer { wtp in
            block1.withUnsafeMutableBufferPointer { w1 in
            err1.withUnsafeMutableBufferPointer { e1 in
            qt.withUnsafeMutableBufferPointer { qtp in
            codes.withUnsafeMutableBufferPointer { cd in
            uS.withUnsafeBufferPointer { up in
                let W = wtp.baseAddress!, W1 = w1.baseAddress!, E1 = e1.baseAddress!, U = up.baseAddress!
                let Q = qtp.baseAddress!, C = cd.baseAddress!
                // Dynamic group grids: every group starting in this block is fitted on W as the block begins
                // (the reference's stale copy), or, fresh, on the error-compensated columns (one lane).
                let dynamicGroups = g.groupSize != -1 && !options.staticGroups
                for c in i1..<i2 where dynamicGroups && !options.freshGroupGrids && c % g.groupSize == 0 {
                    _ = table.append(GridFitting.fit(UnsafePointer(W), rows: q, columns: c..<min(c + g.groupSize, p), options: g))
                }
                _ = lanes.run { rows in
                    let r0 = rows.lowerBound, n = rows.count
                    for i in 0..<nb { (W1 + i * q + r0).update(from: W + (i1 + i) * q + r0, count: n) }
                    for i in 0..<nb {
                        let c = i1 + i
                        if dynamicGroups && options.freshGroupGrids && c % g.groupSize == 0 {
                            let cols = Array(c..<min(c + g.groupSize, p))
                            _ = table.append(freshSlice(W, W1, i1: i1, i2: i2, rows: q, columns: cols, options: g))
                        }
                        let col = W1 + i * q + r0, e = E1 + i * q + r0, qc = Q + c * q + r0
                        qc.update(from: col, count: n)
                        _ = table.quantize(qc - r0, column: c, rows: rows, codes: C + c * q)
                        let d = U[c * p + c]
                        for r in 0..<n { e[r] = (col[r] - qc[r]) / d }
                        // The rest of the panel now: W1[:, i+1:panelEnd] -= e ⊗ U[c, i+1:panelEnd]
                        let s0 = i - i % panel, panelEnd = min(s0 + panel, nb)
                        for k in (i + 1)..<panelEnd {
                            let a = U[c * p + i1 + k], wk = W1 + k * q + r0
                            for r in 0..<n { wk[r] -= a * e[r] }
                        }
                        // The rest of the block once per panel: W1[:, panelEnd:] -= E1[panel] · U[panel, panelEnd:i2]
                        if i + 1 == panelEnd {
                            S.gemm(transA: true, transB: false, m: nb - panelEnd, n: n, k: panelEnd - s0, alpha: -1,
                                   a: U + (i1 + s0) * p + i1 + panelEnd, lda: p, b: E1 + s0 * q + r0, ldb: q,
                                   beta: 1, c: W1 + panelEnd * q + r0, ldc: q)
                        }
                    }
                    // W[:, i2:] -= E1 · U[i1:i2, i2:]
                    S.gemm(transA: true, transB: false, m: p - i2, n: n, k: nb, alpha: -1,
                           a: U + i1 * p + i2, lda: p, b: E1 + r0, ldb: q, beta: 1, c: W + i2 * q + r0, ldc: q)
                }
            }}}}}}
            let rel = tracker.add(columns: i1..<i2, quantizedT: qt)
            let step = SolverProgress(step: b + 1, totalSteps: blocks, relativeError: rel, codesChanged: nb * q,
                                      outliers: 0, onGrid: true, elapsed: clock.seconds)
            history.append(step)
            control.report(step)
        }
        if let start = cancelledAt {
            // Round the remaining (error-compensated) columns so the answer is on the grid.
            for c in start..<p {
                if g.groupSize != -1 && !options.staticGroups && c % g.groupSize == 0 {
                    _ = wt.withUnsafeBufferPointer { table.append(GridFitting.fit($0.baseAddress!, rows: q, columns: c..<min(c + g.groupSize, p), options: g)) }
                }
                qt.withUnsafeMutableBufferPointer { qtp in
                    codes.withUnsafeMutableBufferPointer { cd in
                        wt.withUnsafeBufferPointer { (qtp.baseAddress! + c * q).update(from: $0.baseAddress! + c * q, count: q) }
                        _ = table.quantize(qtp.baseAddress! + c * q, column: c, codes: cd.baseAddress! + c * q)
                    }
                }
            }
            notes.append("cancelled after \(start) of \(p) columns; the rest rounded to nearest")
        }
        let layer = QuantizedLayer(layout: layout, codesT: codes, table: table, bits: g.bits)
        return SolveResult(layer: layer, history: history, cancelled: cancelledAt != nil, notes: notes, seconds: clock.seconds)
    }

    /// The first `columns` of the error-compensated remainder: in-block columns from `W1`, later ones from `W`.
    private static func freshSlice<S: BLASScalar>(_ w: UnsafeMutablePointer<S>, _ w1: UnsafeMutablePointer<S>, i1: Int, i2: Int,
                                                  rows: Int, columns: [Int], options: GridOptions) -> GridFitting.RowGrids<S> {
        var slice = [S](repeating: 0, count: rows * columns.count)
        for (k, c) in columns.enumerated() {
            let src = c < i2 ? w1 + (c - i1) * rows : w + c * rows
            for r in 0..<rows { slice[k * rows + r] = src[r] }
        }
        return slice.withUnsafeBufferPointer { GridFitting.fit($0.baseAddress!, rows: rows, columns: 0..<columns.count, options: options) }
    }

    /// Upper Cholesky factor of (Σ + λ·mean(diag)·I)⁻¹ in fp64; λ grows ×10 until the factorisation succeeds.
    static func upperInverseCholesky(_ sigma: Matrix<Double>, fraction: Double) throws -> (Matrix<Double>, Double) {
        let n = sigma.rows
        let mean = sigma.diagonal.reduce(0, +) / Double(n)
        var damping = fraction
        for _ in 0..<7 {
            var h = sigma
            for i in 0..<n { h[i, i] += damping * mean }
            if let u = LAPACK.upperCholeskyOfInverse(h) { return (u, damping) }
            damping = damping == 0 ? 1e-4 : damping * 10
        }
        throw QuantError.notPositiveDefinite(lastDamping: damping / 10)
    }
}
