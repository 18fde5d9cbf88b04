/// Cyclic coordinate descent on `min tr((T−Ŵ) Σ (T−Ŵ)ᵀ)` over Ŵ on fixed grids (QuantEase §1.1), in the
/// working-transposed layout: column j of Ŵ is the contiguous vector `wht[j*q ..< (j+1)*q]`.
///
/// Two sweeps that give the same codes: `referenceSweep` is the upstream vectorisation code for code
/// (sweep-start snapshot Ŵ·N plus a growing GEMV per column); `blockedSweep` keeps the residual
/// R = (T−Ŵ)·N₀ + T current with one rank-B GEMM per block of B columns (lazy batches).
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
    private var column: [S]

    init(sigma: Matrix<Double>, targetT: [S], start: [S], table: GridTable<S>, rows: Int) {
        q = rows
        p = sigma.rows
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

    /// R = Nᵀ·(T − Ŵ) + T in the transposed layout.
    func refreshResidual() {
        if rt.isEmpty { rt = [S](repeating: 0, count: q * p) }
        for k in 0..<(q * p) { scratch[k] = targetT[k] - wht[k] }
        rt = targetT
        nt.withUnsafeBufferPointer { n in
            scratch.withUnsafeBufferPointer { d in
                rt.withUnsafeMutableBufferPointer { r in
                    S.gemm(transA: false, transB: false, m: p, n: q, k: p, alpha: 1, a: n.baseAddress!, lda: p,
                           b: d.baseAddress!, ldb: q, beta: 1, c: r.baseAddress!, ldc: q)
                }
            }
        }
    }

    /// `tr((T−Ŵ)Σ(T−Ŵ)ᵀ)` from the residual: Σ_j Σ_jj·⟨T_j − Ŵ_j, R_j − Ŵ_j⟩, fp64 sums, O(q·p).
    func residualObjective() -> Double {
        var total = 0.0
        for j in 0..<p where diag[j] > 0 {
            var s = 0.0
            for r in (j * q)..<((j + 1) * q) { s += Double(targetT[r] - wht[r]) * Double(rt[r] - wht[r]) }
            total += diag[j] * s
        }
        return total
    }

    /// One blocked sweep over all columns; returns codes changed (0 on a relaxed sweep) or nil if cancelled.
    func blockedSweep(round: Bool, blockSize: Int, isCancelled: () -> Bool) -> Int? {
        if rt.isEmpty { refreshResidual() }
        var changed = 0
        let t = table, q = q, p = p, diag = diag
        for b0 in stride(from: 0, to: p, by: blockSize) {
            if isCancelled() { return nil }
            let nb = min(blockSize, p - b0)
            wht.withUnsafeMutableBufferPointer { wp in
            rt.withUnsafeMutableBufferPointer { rp in
            scratch.withUnsafeMutableBufferPointer { dp in
            column.withUnsafeMutableBufferPointer { up in
            codes.withUnsafeMutableBufferPointer { cp in
            nt.withUnsafeBufferPointer { np in
                let W = wp.baseAddress!, R = rp.baseAddress!, D = dp.baseAddress!, u = up.baseAddress!, N = np.baseAddress!
                for j in b0..<(b0 + nb) {
                    let wj = W + j * q
                    if diag[j] > 0 {
                        u.update(from: R + j * q, count: q)
                        S.gemv(trans: true, m: j - b0, n: q, alpha: 1, a: D, lda: q, x: N + j * p + b0, incx: 1,
                               beta: 1, y: u, incy: 1)
                    } else {
                        u.update(from: wj, count: q)
                    }
                    if round || diag[j] <= 0 {
                        let c = t.quantize(u, column: j, codes: round ? cp.baseAddress! + j * q : nil)
                        changed += c
                    }
                    let dj = D + (j - b0) * q
                    for r in 0..<q { dj[r] = wj[r] - u[r] }
                    wj.update(from: u, count: q)
                }
                // R[:, all] += δ_block · N[b0:b1, :]   (transposed: Rᵀ += Nᵀ[:, b0:b1] · δᵀ)
                S.gemm(transA: false, transB: false, m: p, n: q, k: nb, alpha: 1, a: N + b0, lda: p,
                       b: D, ldb: q, beta: 1, c: R, ldc: q)
            }}}}}}
        }
        return round ? changed : 0
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
