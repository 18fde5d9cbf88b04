import QuantCore

/// Row-wise building blocks of the forward passes, on `[seq, features]` matrices; the norms sum in fp64
/// whatever the scalar.
enum TensorOps {
    /// `x · Wᵀ + b` through BLAS gemm, for `W` of `[out, in]`.
    static func linear<S: ForwardScalar>(_ x: Matrix<S>, _ weight: Matrix<S>, bias: [S]?) -> Matrix<S> {
        var y = x.matmul(weight, transposeOther: true)
        if let bias { addRowVector(&y, bias) }
        return y
    }

    /// Adds `vector` to every row.
    static func addRowVector<S: ForwardScalar>(_ x: inout Matrix<S>, _ vector: [S]) {
        let cols = x.cols
        x.storage.withUnsafeMutableBufferPointer { xs in
            vector.withUnsafeBufferPointer { v in
                for r in 0..<x.rows { for c in 0..<cols { xs[r * cols + c] += v[c] } }
            }
        }
    }

    /// `x += y`, elementwise.
    static func add<S: ForwardScalar>(_ x: inout Matrix<S>, _ y: Matrix<S>) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count { xs[i] += ys[i] }
            }
        }
    }

    /// `x *= y`, elementwise.
    static func multiply<S: ForwardScalar>(_ x: inout Matrix<S>, _ y: Matrix<S>) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count { xs[i] *= ys[i] }
            }
        }
    }

    /// LayerNorm over each row: `(x − mean) / sqrt(var + eps) · weight + bias` (biased variance).
    static func layerNorm<S: ForwardScalar>(_ x: Matrix<S>, weight: [S], bias: [S], eps: Double) -> Matrix<S> {
        var out = x
        let cols = x.cols
        out.storage.withUnsafeMutableBufferPointer { o in
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<x.rows {
                        let row = r * cols
                        let (mean, inverse) = moments(o.baseAddress! + row, cols, eps: eps)
                        for c in 0..<cols {
                            o[row + c] = S((Double(o[row + c]) - mean) * inverse) * w[c] + b[c]
                        }
                    }
                }
            }
        }
        return out
    }

    /// The mean of a row and `1 / sqrt(var + eps)` (biased variance), in fp64.
    static func moments<S: ForwardScalar>(_ row: UnsafePointer<S>, _ count: Int, eps: Double) -> (mean: Double, inverse: Double) {
        var sum = 0.0
        for c in 0..<count { sum += Double(row[c]) }
        let mean = sum / Double(count)
        var squares = 0.0
        for c in 0..<count { let d = Double(row[c]) - mean; squares += d * d }
        return (mean, 1 / (squares / Double(count) + eps).squareRoot())
    }

    /// RMSNorm over each row: `x / sqrt(mean(x²) + eps) · weight` (Llama).
    static func rmsNorm<S: ForwardScalar>(_ x: Matrix<S>, weight: [S], eps: Double) -> Matrix<S> {
        var out = x
        let cols = x.cols
        out.storage.withUnsafeMutableBufferPointer { o in
            weight.withUnsafeBufferPointer { w in
                for r in 0..<x.rows {
                    let row = r * cols
                    let inverse = S(rootMeanSquareInverse(o.baseAddress! + row, cols, eps: eps))
                    for c in 0..<cols { o[row + c] = w[c] * (o[row + c] * inverse) }
                }
            }
        }
        return out
    }

    /// `1 / sqrt(mean(x²) + eps)` of a row, in fp64.
    static func rootMeanSquareInverse<S: ForwardScalar>(_ row: UnsafePointer<S>, _ count: Int, eps: Double) -> Double {
        var squares = 0.0
        for c in 0..<count { squares += Double(row[c]) * Double(row[c]) }
        return 1 / (squares / Double(count) + eps).squareRoot()
    }

    /// Columns `range` of `x` as a new matrix (splits GPT-2's fused q|k|v output).
    static func columns<S: ForwardScalar>(_ x: Matrix<S>, _ range: Range<Int>) -> Matrix<S> {
        var out = Matrix<S>(rows: x.rows, cols: range.count)
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
