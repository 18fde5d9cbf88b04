import QuantCore

/// The backward passes of `TensorOps`: given the gradient of an op's output, the gradients of its input
/// and its parameters (accumulated into `weight` and `bias` gradients, which sum over rows).
extension TensorOps {
    /// LayerNorm's input gradient from `dy`, adding `Σ dy·x̂` to `weightGradient` and `Σ dy` to `biasGradient`.
    static func layerNormBackward<S: ForwardScalar>(_ x: Matrix<S>, weight: [S], eps: Double, dy: Matrix<S>,
                                                    weightGradient: inout [S], biasGradient: inout [S]) -> Matrix<S> {
        var dx = Matrix<S>(rows: x.rows, cols: x.cols)
        let cols = x.cols
        var normalized = [S](repeating: 0, count: cols), scaled = [S](repeating: 0, count: cols)
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { g in
                for r in 0..<x.rows {
                    let row = r * cols
                    let (mean, inverse) = moments(xs.baseAddress! + row, cols, eps: eps)
                    var meanScaled = 0.0, meanProduct = 0.0
                    for c in 0..<cols {
                        normalized[c] = S((Double(xs[row + c]) - mean) * inverse)
                        scaled[c] = g[row + c] * weight[c]
                        weightGradient[c] += g[row + c] * normalized[c]
                        biasGradient[c] += g[row + c]
                        meanScaled += Double(scaled[c])
                        meanProduct += Double(scaled[c]) * Double(normalized[c])
                    }
                    meanScaled /= Double(cols)
                    meanProduct /= Double(cols)
                    for c in 0..<cols {
                        dx.storage[row + c] = S(inverse * (Double(scaled[c]) - meanScaled - Double(normalized[c]) * meanProduct))
                    }
                }
            }
        }
        return dx
    }

    /// RMSNorm's input gradient from `dy`, adding `Σ dy·x/rms` to `weightGradient`.
    static func rmsNormBackward<S: ForwardScalar>(_ x: Matrix<S>, weight: [S], eps: Double, dy: Matrix<S>,
                                                  weightGradient: inout [S]) -> Matrix<S> {
        var dx = Matrix<S>(rows: x.rows, cols: x.cols)
        let cols = x.cols
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { g in
                for r in 0..<x.rows {
                    let row = r * cols
                    let inverse = rootMeanSquareInverse(xs.baseAddress! + row, cols, eps: eps)
                    var meanProduct = 0.0
                    for c in 0..<cols {
                        let scaled = Double(g[row + c] * weight[c])
                        weightGradient[c] += g[row + c] * xs[row + c] * S(inverse)
                        meanProduct += scaled * Double(xs[row + c])
                    }
                    meanProduct /= Double(cols)
                    let cube = inverse * inverse * inverse
                    for c in 0..<cols {
                        let scaled = Double(g[row + c] * weight[c])
                        dx.storage[row + c] = S(inverse * scaled - Double(xs[row + c]) * cube * meanProduct)
                    }
                }
            }
        }
        return dx
    }

    /// The column sums of `x` added to `sums` (a bias's gradient).
    static func addColumnSums<S: ForwardScalar>(_ x: Matrix<S>, to sums: inout [S]) {
        x.storage.withUnsafeBufferPointer { xs in
            for r in 0..<x.rows { for c in 0..<x.cols { sums[c] += xs[r * x.cols + c] } }
        }
    }
}
