import Foundation
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
    func callAsFunction(q: Matrix<Float>, k: Matrix<Float>, v: Matrix<Float>, sequenceLength: Int) -> Matrix<Float> {
        let seq = sequenceLength, d = headDim
        let qWidth = headCount * d, kvWidth = kvHeadCount * d
        let group = headCount / kvHeadCount
        precondition(seq > 0 && q.rows % seq == 0, "\(q.rows) rows are not whole sequences of \(seq)")
        var out = Matrix<Float>(rows: q.rows, cols: qWidth)
        var scores = [Float](repeating: 0, count: seq * seq)
        q.storage.withUnsafeBufferPointer { qs in
            k.storage.withUnsafeBufferPointer { ks in
                v.storage.withUnsafeBufferPointer { vs in
                    out.storage.withUnsafeMutableBufferPointer { os in
                        scores.withUnsafeMutableBufferPointer { ss in
                            for first in stride(from: 0, to: q.rows, by: seq) {
                                for head in 0..<headCount {
                                    let kvHead = head / group
                                    Float.gemm(transA: false, transB: true, m: seq, n: seq, k: d, alpha: scale,
                                               a: qs.baseAddress! + first * qWidth + head * d, lda: qWidth,
                                               b: ks.baseAddress! + first * kvWidth + kvHead * d, ldb: kvWidth,
                                               beta: 0, c: ss.baseAddress!, ldc: seq)
                                    softmaxRows(ss, seq: seq)
                                    Float.gemm(transA: false, transB: false, m: seq, n: d, k: seq, alpha: 1,
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
        return out
    }

    /// Softmax of each row of a `[seq, seq]` score matrix; with `causal`, entries right of the diagonal become 0.
    private func softmaxRows(_ s: UnsafeMutableBufferPointer<Float>, seq: Int) {
        for r in 0..<seq {
            let row = r * seq
            let visible = causal ? r + 1 : seq
            var top = -Float.infinity
            for c in 0..<visible { top = max(top, s[row + c]) }
            var sum: Float = 0
            for c in 0..<visible {
                let e = exp(s[row + c] - top)
                s[row + c] = e
                sum += e
            }
            let inverse = 1 / sum
            for c in 0..<visible { s[row + c] *= inverse }
            for c in visible..<seq { s[row + c] = 0 }
        }
    }
}
