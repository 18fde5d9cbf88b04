/// `tr(ΔΣΔᵀ)/tr(WΣWᵀ)` over the columns quantized so far (the others count as exact), grown block by
/// block in O(q·p²/2) in all, for GPTQ's per-block progress. Products run in `S`, sums in fp64.
struct PartialObjective<S: BLASScalar> {
    private let rows: Int
    private let cols: Int
    private let w0t: [S]
    private let sigma: [S]
    private var deltaT: [S]
    private var total = 0.0
    private let denominator: Double

    /// `denominator` is `tr(WΣWᵀ)` (`weightTrace`).
    init(weightsT: [S], sigma: Matrix<Double>, rows: Int, denominator: Double) {
        self.rows = rows
        self.cols = sigma.rows
        self.w0t = weightsT
        self.sigma = sigma.storage.map { S($0) }
        self.deltaT = [S](repeating: 0, count: weightsT.count)
        self.denominator = denominator
    }

    /// `tr(WΣWᵀ)` = Σ_ik Σ_ik·(WᵀW)_ik with the Gram WᵀW from one SYRK in `S` (half a GEMM) and the sum
    /// over Σ's upper triangle in fp64.
    static func weightTrace(_ w: Matrix<S>, sigma: Matrix<Double>) -> Double {
        let p = w.cols
        var gram = [S](repeating: 0, count: p * p)
        w.storage.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { g in
                S.syrkUpperTransposed(n: p, k: w.rows, alpha: 1, a: a.baseAddress!, lda: p, beta: 0, c: g.baseAddress!, ldc: p)
            }
        }
        var diagonal = 0.0, offDiagonal = 0.0
        for i in 0..<p {
            diagonal += sigma.storage[i * p + i] * Double(gram[i * p + i])
            for k in (i + 1)..<p { offDiagonal += sigma.storage[i * p + k] * Double(gram[i * p + k]) }
        }
        return diagonal + 2 * offDiagonal
    }

    /// Adds the working columns `block` (now quantized in `quantizedT`) and returns the relative error so far.
    mutating func add(columns block: Range<Int>, quantizedT: [S]) -> Double {
        let q = rows, p = cols, i1 = block.lowerBound, nb = block.count
        for k in (i1 * q)..<(block.upperBound * q) { deltaT[k] = w0t[k] - quantizedT[k] }
        var g = [S](repeating: 0, count: nb * q)
        sigma.withUnsafeBufferPointer { s in
            deltaT.withUnsafeBufferPointer { d in
                g.withUnsafeMutableBufferPointer { o in
                    // G = 2·Σ[b, :i1]·Δ[:i1] + Σ[b, b]·Δ[b]
                    if i1 > 0 {
                        S.gemm(transA: false, transB: false, m: nb, n: q, k: i1, alpha: 2, a: s.baseAddress! + i1 * p, lda: p,
                               b: d.baseAddress!, ldb: q, beta: 0, c: o.baseAddress!, ldc: q)
                    }
                    S.gemm(transA: false, transB: false, m: nb, n: q, k: nb, alpha: 1, a: s.baseAddress! + i1 * p + i1, lda: p,
                           b: d.baseAddress! + i1 * q, ldb: q, beta: i1 == 0 ? 0 : 1, c: o.baseAddress!, ldc: q)
                }
            }
        }
        for k in 0..<(nb * q) { total += Double(deltaT[i1 * q + k]) * Double(g[k]) }
        return denominator > 0 ? total / denominator : 0
    }
}
