import QuantCore

/// Multi-head scaled dot-product attention over unpadded sequences stacked row-wise (each attends only to
/// itself), with grouped-query heads.
struct Attention: Sendable {
    let headCount: Int
    /// Key/value heads; query head `h` reads kv head `h / (headCount / kvHeadCount)`.
    let kvHeadCount: Int
    let headDim: Int
    /// Multiplies `q·kᵀ` before the softmax.
    let scale: Float
    /// True for decoders: token `i` sees tokens `0...i` only.
    let causal: Bool

    /// `q` is `[rows, headCount·headDim]`, `k` and `v` are `[rows, kvHeadCount·headDim]`, every `sequenceLength`
    /// rows one sequence; returns `[rows, headCount·headDim]` with the heads side by side. Scores and the
    /// weighted sum are BLAS gemms.
    func callAsFunction<S: ForwardScalar>(q: Matrix<S>, k: Matrix<S>, v: Matrix<S>, sequenceLength: Int) -> Matrix<S> {
        forward(q: q, k: k, v: v, sequenceLength: sequenceLength, keepingProbabilities: false).out
    }

    /// The attention output and, when asked, the softmax of every sequence and head
    /// (`[sequences, heads, seq, seq]`, empty otherwise) for `backward`.
    func forward<S: ForwardScalar>(q: Matrix<S>, k: Matrix<S>, v: Matrix<S>, sequenceLength: Int,
                                   keepingProbabilities: Bool) -> (out: Matrix<S>, probabilities: [S]) {
        let seq = sequenceLength, d = headDim
        let qWidth = headCount * d, kvWidth = kvHeadCount * d
        let group = headCount / kvHeadCount
        precondition(seq > 0 && q.rows % seq == 0, "\(q.rows) rows are not whole sequences of \(seq)")
        var out = Matrix<S>(rows: q.rows, cols: qWidth)
        var scores = [S](repeating: 0, count: seq * seq)
        var probabilities = [S](repeating: 0, count: keepingProbabilities ? q.rows / seq * headCount * seq * seq : 0)
        q.storage.withUnsafeBufferPointer { qs in
            k.storage.withUnsafeBufferPointer { ks in
                v.storage.withUnsafeBufferPointer { vs in
                    out.storage.withUnsafeMutableBufferPointer { os in
                        scores.withUnsafeMutableBufferPointer { ss in
                        probabilities.withUnsafeMutableBufferPointer { kept in
                            for first in stride(from: 0, to: q.rows, by: seq) {
                                for head in 0..<headCount {
                                    let kvHead = head / group
                                    S.gemm(transA: false, transB: true, m: seq, n: seq, k: d, alpha: S(scale),
                                           a: qs.baseAddress! + first * qWidth + head * d, lda: qWidth,
                                           b: ks.baseAddress! + first * kvWidth + kvHead * d, ldb: kvWidth,
                                           beta: 0, c: ss.baseAddress!, ldc: seq)
                                    softmaxRows(ss, seq: seq)
                                    if keepingProbabilities {
                                        (kept.baseAddress! + (first / seq * headCount + head) * seq * seq)
                                            .update(from: ss.baseAddress!, count: seq * seq)
                                    }
                                    S.gemm(transA: false, transB: false, m: seq, n: d, k: seq, alpha: 1,
                                           a: ss.baseAddress!, lda: seq,
                                           b: vs.baseAddress! + first * kvWidth + kvHead * d, ldb: kvWidth,
                                           beta: 0, c: os.baseAddress! + first * qWidth + head * d, ldc: qWidth)
                                }
                            }
                        }
                        }
                    }
                }
            }
        }
        return (out, probabilities)
    }

    /// The gradients of `q`, `k` and `v` from the output gradient `dOut`, with the probabilities the forward
    /// pass kept: `dV = Pᵀ·dO`, `dS = P ⊙ (dO·Vᵀ − rowsum(P ⊙ dO·Vᵀ))`, `dQ = scale·dS·K`, `dK = scale·dSᵀ·Q`.
    func backward<S: ForwardScalar>(q: Matrix<S>, k: Matrix<S>, v: Matrix<S>, probabilities: [S], dOut: Matrix<S>,
                                    sequenceLength: Int) -> (dq: Matrix<S>, dk: Matrix<S>, dv: Matrix<S>) {
        let seq = sequenceLength, d = headDim
        let qWidth = headCount * d, kvWidth = kvHeadCount * d
        let group = headCount / kvHeadCount
        var dq = Matrix<S>(rows: q.rows, cols: qWidth), dk = Matrix<S>(rows: k.rows, cols: kvWidth)
        var dv = Matrix<S>(rows: v.rows, cols: kvWidth)
        var dScores = [S](repeating: 0, count: seq * seq)
        let scale = S(scale)
        q.storage.withUnsafeBufferPointer { qs in
        k.storage.withUnsafeBufferPointer { ks in
        v.storage.withUnsafeBufferPointer { vs in
        dOut.storage.withUnsafeBufferPointer { gs in
        probabilities.withUnsafeBufferPointer { ps in
        dq.storage.withUnsafeMutableBufferPointer { dqs in
        dk.storage.withUnsafeMutableBufferPointer { dks in
        dv.storage.withUnsafeMutableBufferPointer { dvs in
        dScores.withUnsafeMutableBufferPointer { ds in
            for first in stride(from: 0, to: q.rows, by: seq) {
                for head in 0..<headCount {
                    let kvHead = head / group
                    let p = ps.baseAddress! + (first / seq * headCount + head) * seq * seq
                    let g = gs.baseAddress! + first * qWidth + head * d
                    let kvOffset = first * kvWidth + kvHead * d, qOffset = first * qWidth + head * d
                    // dV += Pᵀ·dO (the heads of one kv group add up).
                    S.gemm(transA: true, transB: false, m: seq, n: d, k: seq, alpha: 1, a: p, lda: seq, b: g, ldb: qWidth,
                           beta: 1, c: dvs.baseAddress! + kvOffset, ldc: kvWidth)
                    // dP = dO·Vᵀ, then the softmax's backward in place.
                    S.gemm(transA: false, transB: true, m: seq, n: seq, k: d, alpha: 1, a: g, lda: qWidth,
                           b: vs.baseAddress! + kvOffset, ldb: kvWidth, beta: 0, c: ds.baseAddress!, ldc: seq)
                    for r in 0..<seq {
                        var dot: S = 0
                        for c in 0..<seq { dot += ds[r * seq + c] * p[r * seq + c] }
                        for c in 0..<seq { ds[r * seq + c] = p[r * seq + c] * (ds[r * seq + c] - dot) }
                    }
                    S.gemm(transA: false, transB: false, m: seq, n: d, k: seq, alpha: scale, a: ds.baseAddress!, lda: seq,
                           b: ks.baseAddress! + kvOffset, ldb: kvWidth, beta: 0, c: dqs.baseAddress! + qOffset, ldc: qWidth)
                    S.gemm(transA: true, transB: false, m: seq, n: d, k: seq, alpha: scale, a: ds.baseAddress!, lda: seq,
                           b: qs.baseAddress! + qOffset, ldb: qWidth, beta: 1, c: dks.baseAddress! + kvOffset, ldc: kvWidth)
                }
            }
        }}}}}}}}}
        return (dq, dk, dv)
    }

    /// Softmax of each row of a `[seq, seq]` score matrix; with `causal`, entries right of the diagonal become 0.
    private func softmaxRows<S: ForwardScalar>(_ s: UnsafeMutableBufferPointer<S>, seq: Int) {
        for r in 0..<seq {
            let row = r * seq
            let visible = causal ? r + 1 : seq
            var top = -S.infinity
            for c in 0..<visible { top = max(top, s[row + c]) }
            var sum: S = 0
            for c in 0..<visible {
                let e = S.exp(s[row + c] - top)
                s[row + c] = e
                sum += e
            }
            let inverse = 1 / sum
            for c in 0..<visible { s[row + c] *= inverse }
            for c in visible..<seq { s[row + c] = 0 }
        }
    }
}
