/// The iterate of one AQLM layer solve: codes, codebooks and scales, the residual `R = W − Ŵ` they leave,
/// and the buffers the code search and the codebook updates reuse (nothing is allocated per slot).
final class AQLMState<S: BLASScalar> {
    let rows: Int, cols: Int
    /// g, groups per row, M, 2^B, B.
    let groupSize: Int, groups: Int, codebookCount: Int, codebookSize: Int, bits: Int
    let weights: [S]
    /// Σ in the working precision, for the GEMMs.
    let hessian: [S]
    /// Σ in fp64, for the loss and the least-squares system.
    let hessianDouble: Matrix<Double>
    /// `[rows, groups, M]`.
    var codes: [UInt16]
    /// `[M, K, g]`.
    var codebooks: [S]
    var scales: [S]
    /// `W − Ŵ`, kept in step with codes, codebooks and scales.
    var residual: [S]
    /// `W Σ` in fp64, for the least-squares update.
    lazy var weightsTimesHessian: Matrix<Double> = Matrix(rows: rows, cols: cols, storage: weights.map { Double($0) }).matmul(hessianDouble)

    init(problem: LayerProblem<S>, options: AQLMOptions) {
        rows = problem.outFeatures
        cols = problem.inFeatures
        groupSize = options.groupSize
        groups = cols / options.groupSize
        codebookCount = options.codebooks
        codebookSize = options.codebookSize
        bits = options.bits
        weights = problem.weights.storage
        hessian = problem.hessian.storage.map { S($0) }
        hessianDouble = problem.hessian
        codes = [UInt16](repeating: 0, count: rows * groups * options.codebooks)
        codebooks = [S](repeating: 0, count: options.codebooks * options.codebookSize * options.groupSize)
        // s_o = ‖W_o‖₂ + 1e-9 (reference `scale_nbits = 0`).
        let w = problem.weights
        scales = (0..<w.rows).map { o in
            var s = 0.0
            for c in 0..<w.cols { let v = Double(w.storage[o * w.cols + c]); s += v * v }
            return S(s.squareRoot() + 1e-9)
        }
        residual = problem.weights.storage
    }

    /// The layer as it stands.
    var layer: AdditiveCodebooks<S> {
        AdditiveCodebooks(rows: rows, cols: cols, codebookCount: codebookCount, bits: bits, groupSize: groupSize,
                          codes: codes, codebooks: codebooks, scales: scales)
    }

    /// Residual k-means on `W / s` (research note §1.4): codebook m clusters what codebooks 0…m−1 left.
    @_specialize(where S == Float)
    func initialize(options: AQLMOptions, rng: inout SeededGenerator, isCancelled: () -> Bool) {
        let g = groupSize, k = codebookSize, mc = codebookCount
        var points = [S](repeating: 0, count: rows * cols)
        for o in 0..<rows { for c in 0..<cols { points[o * cols + c] = weights[o * cols + c] / scales[o] } }
        let n = rows * groups
        for m in 0..<mc {
            let fit = points.withUnsafeBufferPointer { p in
                KMeans.fit(points: p.baseAddress!, count: n, dim: g, k: k, maxIterations: options.initMaxIterations,
                           reseedDead: options.reseedDeadCodes, rng: &rng, isCancelled: isCancelled)
            }
            for i in 0..<(k * g) { codebooks[(m * k) * g + i] = fit.centroids[i] }
            for p in 0..<n {
                let c = Int(fit.assignment[p])
                codes[p * mc + m] = UInt16(c)
                for a in 0..<g { points[p * g + a] -= fit.centroids[c * g + a] }
            }
        }
        refreshResidual()
    }

    /// Recomputes `R = W − Ŵ` from codes, codebooks and scales.
    @_specialize(where S == Float)
    func refreshResidual() {
        let l = layer
        residual.withUnsafeMutableBufferPointer { r in
            l.decode(into: r.baseAddress!, scaled: true)
            for i in 0..<r.count { r[i] = weights[i] - r[i] }
        }
    }

    /// `tr(R Σ Rᵀ)` in fp64.
    func quadraticLoss() -> Double {
        Objective.quadraticTrace(Matrix(rows: rows, cols: cols, storage: residual.map { Double($0) }), hessianDouble)
    }
}
