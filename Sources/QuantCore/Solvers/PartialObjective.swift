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

    init(weightsT: [S], sigma: Matrix<Double>, rows: Int) {
        self.rows = rows
        self.cols = sigma.rows
        self.w0t = weightsT
        self.sigma = sigma.storage.map { S($0) }
        self.deltaT = [S](repeating: 0, count: weightsT.count)
        self.denominator = Self.quadraticTrace(weightsT, sigma: self.sigma, rows: rows, cols: sigma.rows)
    }

    /// `tr(A Σ Aᵀ)` for a working-transposed A, products in `S`, the sum in fp64.
    static func quadraticTrace(_ at: [S], sigma: [S], rows: Int, cols: Int) -> Double {
        var prod = [S](repeating: 0, count: at.count)
        sigma.withUnsafeBufferPointer { s in
            at.withUnsafeBufferPointer { a in
                prod.withUnsafeMutableBufferPointer { o in
                    S.gemm(transA: false, transB: false, m: cols, n: rows, k: cols, alpha: 1, a: s.baseAddress!, lda: cols,
                           b: a.baseAddress!, ldb: rows, beta: 0, c: o.baseAddress!, ldc: rows)
                }
            }
        }
        var t = 0.0
        for i in 0..<at.count { t += Double(at[i]) * Double(prod[i]) }
        return t
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
