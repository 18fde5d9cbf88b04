/// The codebook (and scale) update between two code searches, for fixed codes.
final class CodebookRefit<S: BLASScalar> {
    private let state: AQLMState<S>
    private var codebookAdam: Adam, scaleAdam: Adam
    /// `[rows, cols]` gradient of the loss in Ŵ, then the unscaled decode `Σ_m C_m[code]`.
    private var weightGradient: [S], unscaled: [S]
    private var codebookGradient: [S], scaleGradient: [S]

    init(state: AQLMState<S>, learningRate: Double) {
        self.state = state
        codebookAdam = .codebooks(count: state.codebooks.count, learningRate: learningRate)
        scaleAdam = .codebooks(count: state.scales.count, learningRate: learningRate)
        weightGradient = [S](repeating: 0, count: state.rows * state.cols)
        unscaled = weightGradient
        codebookGradient = [S](repeating: 0, count: state.codebooks.count)
        scaleGradient = [S](repeating: 0, count: state.rows)
    }

    /// Gradients of `L = tr((W−Ŵ) Σ (W−Ŵ)ᵀ)/out` in the codebooks and the scales, into the gradient buffers.
    @_specialize(where S == Float)
    func computeGradients() {
        let rows = state.rows, p = state.cols, g = state.groupSize, k = state.codebookSize, mc = state.codebookCount
        // ∂L/∂Ŵ = 2(Ŵ − W)Σ/out = −(2/out) R Σ.
        state.residual.withUnsafeBufferPointer { r in
            state.hessian.withUnsafeBufferPointer { h in
                weightGradient.withUnsafeMutableBufferPointer { gw in
                    S.gemm(transA: false, transB: false, m: rows, n: p, k: p, alpha: S(-2.0 / Double(rows)),
                           a: r.baseAddress!, lda: p, b: h.baseAddress!, ldb: p, beta: 0, c: gw.baseAddress!, ldc: p)
                }
            }
        }
        let layer = state.layer
        unscaled.withUnsafeMutableBufferPointer { layer.decode(into: $0.baseAddress!, scaled: false) }
        for i in codebookGradient.indices { codebookGradient[i] = 0 }
        weightGradient.withUnsafeBufferPointer { gw in
            unscaled.withUnsafeBufferPointer { d in
                codebookGradient.withUnsafeMutableBufferPointer { gc in
                    state.codes.withUnsafeBufferPointer { cd in
                        for o in 0..<rows {
                            let s = state.scales[o]
                            for j in 0..<state.groups {
                                let src = gw.baseAddress! + o * p + j * g
                                for m in 0..<mc {
                                    let dst = gc.baseAddress! + (m * k + Int(cd[(o * state.groups + j) * mc + m])) * g
                                    for a in 0..<g { dst[a] += s * src[a] }
                                }
                            }
                            var ds: S = 0
                            for c in 0..<p { ds += gw[o * p + c] * d[o * p + c] }
                            scaleGradient[o] = ds
                        }
                    }
                }
            }
        }
    }

    /// The gradients of the last ``computeGradients()``.
    var gradients: (codebooks: [S], scales: [S]) { (codebookGradient, scaleGradient) }

    /// `steps` Adam steps (the optimiser state carries over between calls, as the reference's does).
    /// Returns false when cancelled part-way.
    @_specialize(where S == Float)
    func adam(steps: Int, isCancelled: () -> Bool) -> Bool {
        for _ in 0..<steps {
            if isCancelled() { return false }
            computeGradients()
            codebookAdam.update(&state.codebooks, gradients: codebookGradient)
            scaleAdam.update(&state.scales, gradients: scaleGradient)
            state.refreshResidual()
        }
        return true
    }

    /// The closed-form update: the optimal scale of every row for the current codebooks, then the optimal
    /// codebooks for those scales (fp64 normal equations of the `M·2^B·g` entries, Cholesky-solved with a
    /// tiny ridge towards the current entries, so unused codes stay where they are). Returns a note when
    /// the system needed more than the base ridge.
    @discardableResult @_specialize(where S == Float)
    func leastSquares() -> String? {
        fitScales()
        let note = fitCodebooks()
        state.refreshResidual()
        return note
    }

    /// `s_o = ⟨W_o Σ, D_o⟩ / ⟨D_o Σ, D_o⟩` with D the unscaled decode; rows with `D_o Σ D_oᵀ = 0` keep theirs.
    private func fitScales() {
        let rows = state.rows, p = state.cols
        let layer = state.layer
        unscaled.withUnsafeMutableBufferPointer { layer.decode(into: $0.baseAddress!, scaled: false) }
        let d = Matrix(rows: rows, cols: p, storage: unscaled.map { Double($0) })
        let ds = d.matmul(state.hessianDouble)
        let ws = state.weightsTimesHessian
        for o in 0..<rows {
            var num = 0.0, den = 0.0
            for c in 0..<p {
                num += ws.storage[o * p + c] * d.storage[o * p + c]
                den += ds.storage[o * p + c] * d.storage[o * p + c]
            }
            if den > 0 { state.scales[o] = S(num / den) }
        }
    }

    private func fitCodebooks() -> String? {
        let rows = state.rows, p = state.cols, g = state.groupSize, k = state.codebookSize, mc = state.codebookCount
        let groups = state.groups, n = mc * k * g, slotsPerRow = groups * mc
        var q = Matrix<Double>(rows: n, cols: n)
        var b = [Double](repeating: 0, count: n)
        let ws = state.weightsTimesHessian
        var offsets = [Int](repeating: 0, count: slotsPerRow)
        q.storage.withUnsafeMutableBufferPointer { qp in
            state.hessianDouble.storage.withUnsafeBufferPointer { h in
                for o in 0..<rows {
                    let s = Double(state.scales[o]), s2 = s * s
                    for t in 0..<slotsPerRow {
                        let m = t % mc
                        offsets[t] = (m * k + Int(state.codes[o * slotsPerRow + t])) * g
                        for a in 0..<g { b[offsets[t] + a] += s * ws.storage[o * p + (t / mc) * g + a] }
                    }
                    // Q[(m,c,·), (m',c',·)] += s² Σ[J, J'] over every pair of slots of the row.
                    for t in 0..<slotsPerRow {
                        let jt = (t / mc) * g, ot = offsets[t]
                        for u in 0..<slotsPerRow {
                            let ju = (u / mc) * g, ou = offsets[u]
                            for a in 0..<g {
                                let qrow = qp.baseAddress! + (ot + a) * n + ou
                                let hrow = h.baseAddress! + (jt + a) * p + ju
                                for c in 0..<g { qrow[c] += s2 * hrow[c] }
                            }
                        }
                    }
                }
            }
        }
        let meanDiagonal = max(q.diagonal.reduce(0, +) / Double(n), Double.leastNonzeroMagnitude)
        var ridge = 1e-9 * meanDiagonal
        for attempt in 0..<6 {
            var a = q
            var rhs = b
            for i in 0..<n {
                a.storage[i * n + i] += ridge
                rhs[i] += ridge * Double(state.codebooks[i])
            }
            if let x = LAPACK.solvePositiveDefinite(a, rhs) {
                for i in 0..<n { state.codebooks[i] = S(x[i]) }
                return attempt == 0 ? nil : "least-squares codebook system needed ridge \(ridge) (× mean diagonal \(ridge / meanDiagonal))"
            }
            ridge *= 100
        }
        return "least-squares codebook system stayed singular; codebooks kept"
    }
}
