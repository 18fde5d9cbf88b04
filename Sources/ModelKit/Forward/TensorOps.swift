import Foundation
import QuantCore

/// Row-wise building blocks of the forward passes, on `[seq, features]` matrices, in fp32.
enum TensorOps {
    /// `x · Wᵀ + b` through BLAS gemm, for `W` of `[out, in]`.
    static func linear(_ x: Matrix<Float>, _ weight: Matrix<Float>, bias: [Float]?) -> Matrix<Float> {
        var y = x.matmul(weight, transposeOther: true)
        if let bias { addRowVector(&y, bias) }
        return y
    }

    /// Adds `vector` to every row.
    static func addRowVector(_ x: inout Matrix<Float>, _ vector: [Float]) {
        let cols = x.cols
        x.storage.withUnsafeMutableBufferPointer { xs in
            vector.withUnsafeBufferPointer { v in
                for r in 0..<x.rows { for c in 0..<cols { xs[r * cols + c] += v[c] } }
            }
        }
    }

    /// `x += y`, elementwise.
    static func add(_ x: inout Matrix<Float>, _ y: Matrix<Float>) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count { xs[i] += ys[i] }
            }
        }
    }

    /// `x *= y`, elementwise.
    static func multiply(_ x: inout Matrix<Float>, _ y: Matrix<Float>) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count { xs[i] *= ys[i] }
            }
        }
    }

    /// `x *= s`, elementwise.
    static func scale(_ x: inout Matrix<Float>, by s: Float) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            for i in 0..<xs.count { xs[i] *= s }
        }
    }

    /// LayerNorm over each row: `(x − mean) / sqrt(var + eps) · weight + bias` (biased variance).
    static func layerNorm(_ x: Matrix<Float>, weight: [Float], bias: [Float], eps: Double) -> Matrix<Float> {
        var out = x
        let cols = x.cols
        out.storage.withUnsafeMutableBufferPointer { o in
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<x.rows {
                        let row = r * cols
                        var sum = 0.0
                        for c in 0..<cols { sum += Double(o[row + c]) }
                        let mean = sum / Double(cols)
                        var squares = 0.0
                        for c in 0..<cols { let d = Double(o[row + c]) - mean; squares += d * d }
                        let inverse = 1 / (squares / Double(cols) + eps).squareRoot()
                        for c in 0..<cols {
                            o[row + c] = Float((Double(o[row + c]) - mean) * inverse) * w[c] + b[c]
                        }
                    }
                }
            }
        }
        return out
    }

    /// RMSNorm over each row: `x / sqrt(mean(x²) + eps) · weight` (Llama).
    static func rmsNorm(_ x: Matrix<Float>, weight: [Float], eps: Double) -> Matrix<Float> {
        var out = x
        let cols = x.cols
        out.storage.withUnsafeMutableBufferPointer { o in
            weight.withUnsafeBufferPointer { w in
                for r in 0..<x.rows {
                    let row = r * cols
                    var squares = 0.0
                    for c in 0..<cols { squares += Double(o[row + c]) * Double(o[row + c]) }
                    let inverse = Float(1 / (squares / Double(cols) + eps).squareRoot())
                    for c in 0..<cols { o[row + c] = w[c] * (o[row + c] * inverse) }
                }
            }
        }
        return out
    }

    /// Columns `range` of `x` as a new matrix (splits GPT-2's fused q|k|v output).
    static func columns(_ x: Matrix<Float>, _ range: Range<Int>) -> Matrix<Float> {
        var out = Matrix<Float>(rows: x.rows, cols: range.count)
        x.storage.withUnsafeBufferPointer { xs in
            out.storage.withUnsafeMutableBufferPointer { o in
                for r in 0..<x.rows {
                    for c in 0..<range.count { o[r * range.count + c] = xs[r * x.cols + range.lowerBound + c] }
                }
            }
        }
        return out
    }

    /// The mean of the rows.
    static func meanOfRows(_ x: Matrix<Float>) -> [Float] {
        var sums = [Double](repeating: 0, count: x.cols)
        x.storage.withUnsafeBufferPointer { xs in
            for r in 0..<x.rows { for c in 0..<x.cols { sums[c] += Double(xs[r * x.cols + c]) } }
        }
        return sums.map { Float($0 / Double(max(x.rows, 1))) }
    }
}
