/// Cyclic coordinate descent on `min tr((T−Ŵ) Σ (T−Ŵ)ᵀ)` over Ŵ on fixed grids (QuantEase §1.1), in the
/// working-transposed layout: column j of Ŵ is the contiguous vector `wht[j*q ..< (j+1)*q]`.
///
/// Two sweeps that give the same codes: `referenceSweep` is the upstream vectorisation code for code
/// (sweep-start snapshot Ŵ·N plus a growing GEMV per column); `blockedSweep` keeps the residual
/// R = (T−Ŵ)·N₀ + T current with one rank-B GEMM per block of B columns (lazy batches), split by rows
/// across `lanes`.
final class CoordinateDescent<S: BLASScalar> {
    let q: Int
    let p: Int
    /// Nᵀ with N[i,k] = Σ_ik/Σ_kk for live k, zero diagonal; row k of Nᵀ is Σ[k,:]/Σ_kk.
    let nt: [S]
    let diag: [Double]
    var table: GridTable<S>
    /// The CD target T (W, or W − H for the outlier variant), working-transposed.
    private(set) var targetT: [S]
    /// The iterate Ŵ.
    var wht: [S]
    /// Codes of the last on-grid iterate.
    var codes: [UInt8]
    /// R = (T−Ŵ)·N₀ + T, kept current by `blockedSweep`.
    private var rt: [S] = []
    private var scratch: [S]
    /// The current block's residual columns, kept current panel by panel inside `blockedSweep`.
    private var blockResidual: [S] = []
    /// Row ranges swept in parallel.
    let lanes: RowLanes
    /// N itself, row-major (Nᵀ transposed), built by the first `moveTarget`.
    private var nRowMajor: [S] = []
    private var column: [S]

    init(sigma: Matrix<Double>, targetT: [S], start: [S], table: GridTable<S>, rows: Int, lanes: RowLanes? = nil) {
        q = rows
        p = sigma.rows
        self.lanes = lanes ?? RowLanes(rows: rows)
        diag = sigma.diagonal
        var n = [S](repeating: 0, count: p * p)
        for k in 0..<p where diag[k] > 0 {
            for i in 0..<p where i != k { n[k * p + i] = S(sigma[k, i] / diag[k]) }
        }
        nt = n
        self.table = table
        self.targetT = targetT
        wht = start
        codes = [UInt8](repeating: 0, count: q * p)
        scratch = [S](repeating: 0, count: q * p)
        column = [S](repeating: 0, count: q)
    }

    /// Rounds every column of Ŵ onto its grid (codes included); returns codes changed.
    @discardableResult
    func roundAll() -> Int {
        var changed = 0
        let t = table
        wht.withUnsafeMutableBufferPointer { w in
            codes.withUnsafeMutableBufferPointer { cd in
                for j in 0..<p { changed += t.quantize(w.baseAddress! + j * q, column: j, codes: cd.baseAddress! + j * q) }
            }
        }
        return changed
    }

    /// Sets a new target T and recomputes R from scratch (one GEMM).
    func setTarget(_ t: [S]) {
        targetT = t
        refreshResidual()
    }

    /// Sets a new target T that differs from the current one in few entries (the outlier step) and moves R
    /// by the change, R += ΔT·N₀ + ΔT, in O(nnz(ΔT)·p) instead of a GEMM; more than a tenth of the
    /// entries changed (or no R yet) takes `setTarget`.
    func moveTarget(_ t: [S]) {
        var changed = 0
        for k in 0..<(q * p) where t[k] != targetT[k] { changed += 1 }
        guard !rt.isEmpty, changed * 10 <= q * p else { setTarget(t); return }
        if nRowMajor.isEmpty {
            nRowMajor = [S](repeating: 0, count: p * p)
            for i in 0..<p { for j in 0..<p { nRowMajor[j * p + i] = nt[i * p + j] } }
        }
        let q = q, p = p, tile = 16
        t.withUnsafeBufferPointer { tp in
        targetT.withUnsafeBufferPointer { op in
        nRowMajor.withUnsafeBufferPointer { np in
        rt.withUnsafeMutableBufferPointer { rp in
            let T = tp.baseAddress!, old = op.baseAddress!, N = np.baseAddress!, R = rp.baseAddress!
            _ = lanes.run { rows in
                // Rows are independent: for `tile` rows at a time, acc[rr, :] = Σ_j ΔT[r0+rr, j]·N[j, :]
                // (contiguous rows of N), then added into R's transposed layout tile by tile.
                let acc = UnsafeMutablePointer<S>.allocate(capacity: tile * p)
                defer { acc.deallocate() }
                for r0 in stride(from: rows.lowerBound, to: rows.upperBound, by: tile) {
                    let nr = min(tile, rows.upperBound - r0)
                    acc.initialize(repeating: 0, count: tile * p)
                    for j in 0..<p {
                        for rr in 0..<nr {
                            let k = j * q + r0 + rr
                            let d = T[k] - old[k]
                            if d == 0 { continue }
                            R[k] += d
                            let a = acc + rr * p, nj = N + j * p
                            for i in 0..<p { a[i] += d * nj[i] }
                        }
                    }
                    for i in 0..<p {
                        let ri = R + i * q + r0
                        for rr in 0..<nr { ri[rr] += acc[rr * p + i] }
                    }
                }
            }
        }}}}
        targetT = t
    }

    /// R = Nᵀ·(T − Ŵ) + T in the transposed layout (no GEMM when Ŵ = T).
    func refreshResidual() {
        var same = true
        for k in 0..<(q * p) {
            scratch[k] = targetT[k] - wht[k]
            if scratch[k] != 0 { same = false }
        }
        rt = targetT
        if same { return }
        let q = q, p = p
        nt.withUnsafeBufferPointer { n in
        scratch.withUnsafeBufferPointer { d in
        rt.withUnsafeMutableBufferPointer { r in
            let N = n.baseAddress!, D = d.baseAddress!, R = r.baseAddress!
            _ = lanes.run { rows in
                S.gemm(transA: false, transB: false, m: p, n: rows.count, k: p, alpha: 1, a: N, lda: p,
                       b: D + rows.lowerBound, ldb: q, beta: 1, c: R + rows.lowerBound, ldc: q)
            }
        }}}
    }

    /// `tr((T−Ŵ)Σ(T−Ŵ)ᵀ)` from the residual: Σ_j Σ_jj·⟨T_j − Ŵ_j, R_j − Ŵ_j⟩, fp64 sums, O(q·p).
    func residualObjective() -> Double {
        let q = q, p = p, diag = diag
        return targetT.withUnsafeBufferPointer { tp in
        wht.withUnsafeBufferPointer { wp in
        rt.withUnsafeBufferPointer { rp in
            let T = tp.baseAddress!, W = wp.baseAddress!, R = rp.baseAddress!
            return lanes.run { rows in
                var total = 0.0
                for j in 0..<p where diag[j] > 0 {
                    let t = T + j * q, w = W + j * q, r = R + j * q
                    // Four running sums, so the fp64 products pipeline.
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var k = rows.lowerBound
                    while k + 4 <= rows.upperBound {
                        s0 += Double(t[k] - w[k]) * Double(r[k] - w[k])
                        s1 += Double(t[k + 1] - w[k + 1]) * Double(r[k + 1] - w[k + 1])
                        s2 += Double(t[k + 2] - w[k + 2]) * Double(r[k + 2] - w[k + 2])
                        s3 += Double(t[k + 3] - w[k + 3]) * Double(r[k + 3] - w[k + 3])
                        k += 4
                    }
                    while k < rows.upperBound { s0 += Double(t[k] - w[k]) * Double(r[k] - w[k]); k += 1 }
                    total += diag[j] * ((s0 + s1) + (s2 + s3))
                }
                return total
            }.reduce(0, +)
        }}}
    }

    /// Columns per panel inside a block: each column gathers the corrections of the earlier columns of its
    /// panel in a tight loop, and one GEMM per panel carries them to the rest of the block.
    static var panelWidth: Int { 8 }

    /// One blocked sweep over all columns; returns codes changed (0 on a relaxed sweep) or nil if cancelled.
    ///
    /// Two levels of lazy batches: the block's residual columns are copied to `blockResidual` and kept
    /// current panel by panel (one GEMM per panel of `panelWidth` columns), and the whole residual takes one
    /// rank-`blockSize` GEMM per block. Only the corrections inside a panel run outside BLAS. Rows are
    /// independent, so each of `lanes` sweeps its own rows.
    func blockedSweep(round: Bool, blockSize: Int, isCancelled: () -> Bool) -> Int? {
        if rt.isEmpty { refreshResidual() }
        if blockResidual.count < blockSize * q { blockResidual = [S](repeating: 0, count: blockSize * q) }
        let t = table, q = q, p = p, diag = diag, panel = Self.panelWidth
        let perLane: [Int?] = wht.withUnsafeMutableBufferPointer { wp in
        rt.withUnsafeMutableBufferPointer { rp in
        scratch.withUnsafeMutableBufferPointer { dp in
        blockResidual.withUnsafeMutableBufferPointer { up in
        codes.withUnsafeMutableBufferPointer { cp in
        nt.withUnsafeBufferPointer { np in
            let W = wp.baseAddress!, R = rp.baseAddress!, D = dp.baseAddress!, U = up.baseAddress!, N = np.baseAddress!
            let C = cp.baseAddress!
            return lanes.run { rows -> Int? in
                let r0 = rows.lowerBound, n = rows.count
                var changed = 0
                for b0 in stride(from: 0, to: p, by: blockSize) {
                    if isCancelled() { return nil }
                    let nb = min(blockSize, p - b0)
                    for i in 0..<nb { (U + i * q + r0).update(from: R + (b0 + i) * q + r0, count: n) }
                    for s0 in stride(from: 0, to: nb, by: panel) {
                        let ns = min(panel, nb - s0)
                        for i in s0..<(s0 + ns) {
                            let j = b0 + i, wj = W + j * q + r0, u = U + i * q + r0
                            if diag[j] > 0 {
                                Self.addCombination(u, count: n, of: D + s0 * q + r0, stride: q, weights: N + j * p + b0 + s0, terms: i - s0)
                            } else {
                                u.update(from: wj, count: n)
                            }
                            if round || diag[j] <= 0 {
                                changed += t.quantize(u - r0, column: j, rows: rows, codes: round ? C + j * q : nil)
                            }
                            let di = D + i * q + r0
                            for r in 0..<n { di[r] = wj[r] - u[r] }
                            wj.update(from: u, count: n)
                        }
                        // The rest of the block: U[:, s1:nb] += δ_panel · N[panel, s1:nb]
                        let s1 = s0 + ns
                        S.gemm(transA: false, transB: false, m: nb - s1, n: n, k: ns, alpha: 1, a: N + (b0 + s1) * p + b0 + s0, lda: p,
                               b: D + s0 * q + r0, ldb: q, beta: 1, c: U + s1 * q + r0, ldc: q)
                    }
                    // R[:, all] += δ_block · N[b0:b1, :]   (transposed: Rᵀ += Nᵀ[:, b0:b1] · δᵀ)
                    S.gemm(transA: false, transB: false, m: p, n: n, k: nb, alpha: 1, a: N + b0, lda: p,
                           b: D + r0, ldb: q, beta: 1, c: R + r0, ldc: q)
                }
                return changed
            }
        }}}}}}
        var changed = 0
        for c in perLane {
            guard let c else { return nil }
            changed += c
        }
        return round ? changed : 0
    }

    /// `u += Σ_k weights[k] · (columns + k·stride)` for k < `terms`, four columns per pass over `u`.
    @inline(__always)
    private static func addCombination(_ u: UnsafeMutablePointer<S>, count: Int, of columns: UnsafePointer<S>, stride: Int,
                                       weights: UnsafePointer<S>, terms: Int) {
        var k = 0
        while k + 4 <= terms {
            let a0 = weights[k], a1 = weights[k + 1], a2 = weights[k + 2], a3 = weights[k + 3]
            let c0 = columns + k * stride, c1 = c0 + stride, c2 = c1 + stride, c3 = c2 + stride
            for r in 0..<count { u[r] = u[r] + a0 * c0[r] + a1 * c1[r] + a2 * c2[r] + a3 * c3[r] }
            k += 4
        }
        while k < terms {
            let a = weights[k], c = columns + k * stride
            for r in 0..<count { u[r] += a * c[r] }
            k += 1
        }
    }

    /// One sweep exactly as `method/quantease.py` vectorises it; `pt` is (T·N_full)ᵀ. Returns codes changed
    /// (0 on a relaxed sweep) or nil if cancelled.
    func referenceSweep(round: Bool, pt: [S], isCancelled: () -> Bool) -> Int? {
        var changed = 0
        let t = table, q = q, p = p, diag = diag
        scratch = wht                                   // D: becomes old − new row by row
        var pht = [S](repeating: 0, count: q * p)
        nt.withUnsafeBufferPointer { n in
            scratch.withUnsafeBufferPointer { d in
                pht.withUnsafeMutableBufferPointer { o in
                    S.gemm(transA: false, transB: false, m: p, n: q, k: p, alpha: 1, a: n.baseAddress!, lda: p,
                           b: d.baseAddress!, ldb: q, beta: 0, c: o.baseAddress!, ldc: q)
                }
            }
        }
        for j in 0..<p {
            if j % 64 == 0 && isCancelled() { return nil }
            wht.withUnsafeMutableBufferPointer { wp in
            scratch.withUnsafeMutableBufferPointer { dp in
            column.withUnsafeMutableBufferPointer { up in
            codes.withUnsafeMutableBufferPointer { cp in
            nt.withUnsafeBufferPointer { np in
                let u = up.baseAddress!, D = dp.baseAddress!
                if diag[j] > 0 {
                    for r in 0..<q { u[r] = pt[j * q + r] - pht[j * q + r] }
                    if j > 0 {
                        S.gemv(trans: true, m: j, n: q, alpha: 1, a: D, lda: q, x: np.baseAddress! + j * p, incx: 1,
                               beta: 1, y: u, incy: 1)
                    }
                } else {
                    u.update(from: wp.baseAddress! + j * q, count: q)
                }
                if round || diag[j] <= 0 {
                    changed += t.quantize(u, column: j, codes: round ? cp.baseAddress! + j * q : nil)
                }
                for r in 0..<q { D[j * q + r] -= u[r] }
                (wp.baseAddress! + j * q).update(from: u, count: q)
            }}}}}
        }
        return round ? changed : 0
    }

    /// (T·N_full)ᵀ = Nᵀ·Tᵀ + Tᵀ on live columns (the reference's P), zero on dead ones.
    func referenceTarget() -> [S] {
        var pt = targetT
        for j in 0..<p where diag[j] <= 0 { for r in 0..<q { pt[j * q + r] = 0 } }
        nt.withUnsafeBufferPointer { n in
            targetT.withUnsafeBufferPointer { tt in
                pt.withUnsafeMutableBufferPointer { o in
                    S.gemm(transA: false, transB: false, m: p, n: q, k: p, alpha: 1, a: n.baseAddress!, lda: p,
                           b: tt.baseAddress!, ldb: q, beta: 1, c: o.baseAddress!, ldc: q)
                }
            }
        }
        return pt
    }
}

extension CoordinateDescent {
    /// Read access to the residual R (valid after a sweep or `setTarget`).
    func withResidual<T>(_ body: ([S]) -> T) -> T { body(rt) }
}
