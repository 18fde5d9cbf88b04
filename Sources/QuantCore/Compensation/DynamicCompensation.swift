/// Dynamic error compensation of one quantized linear (QDEC / DecDEC): for every position, choose a few
/// salient input channels S and add the fetched residual columns, `y = Ŵx + R̂[:, S] x[S]`.
///
/// ```swift
/// let dec = DynamicCompensation(residual: PackedResidual(weight: w, quantized: wHat),
///                               selector: ChannelSelector(method: .bucket, budget: ChannelBudget(channels: w.cols, kChunk: 8),
///                                                         thresholds: stats))
/// var y = x.matmul(wHat, transposeOther: true)   // [positions, out]
/// let chosen = dec.compensate(inputs: x, outputs: &y)
/// ```
public struct DynamicCompensation: Sendable {
    public let residual: PackedResidual
    public let selector: ChannelSelector

    public init(residual: PackedResidual, selector: ChannelSelector) {
        precondition(residual.cols == selector.budget.channels, "the residual has \(residual.cols) input channels, the budget \(selector.budget.channels)")
        self.residual = residual
        self.selector = selector
    }

    /// Adds `R̂[:, S] x[S]` to one position's output; returns S.
    @discardableResult
    public func compensate(input x: UnsafeBufferPointer<Float>, output y: UnsafeMutableBufferPointer<Float>) -> [Int] {
        let chosen = selector.select(x)
        for j in chosen { residual.accumulate(channel: j, times: x[j], into: y) }
        return chosen
    }

    /// Compensates every row of `outputs` (`[positions, out]`) from the same row of `inputs`
    /// (`[positions, in]`), one position at a time; returns each position's channels.
    @discardableResult
    public func compensate(inputs: Matrix<Float>, outputs: inout Matrix<Float>) -> [[Int]] {
        precondition(inputs.rows == outputs.rows && inputs.cols == residual.cols && outputs.cols == residual.rows,
                     "compensation shapes: inputs \(inputs.shape), outputs \(outputs.shape), residual \(residual.rows)×\(residual.cols)")
        guard selector.budget.total > 0 else { return [[Int]](repeating: [], count: inputs.rows) }
        let n = inputs.cols, m = outputs.cols
        var chosen: [[Int]] = []
        chosen.reserveCapacity(inputs.rows)
        inputs.storage.withUnsafeBufferPointer { x in
            outputs.storage.withUnsafeMutableBufferPointer { y in
                for p in 0..<inputs.rows {
                    chosen.append(compensate(input: UnsafeBufferPointer(rebasing: x[p * n..<(p + 1) * n]),
                                             output: UnsafeMutableBufferPointer(rebasing: y[p * m..<(p + 1) * m])))
                }
            }
        }
        return chosen
    }

    /// `Ŵx + R̂[:, S] x[S]` for every row of `inputs`, with each position's channels.
    public func output(quantized: Matrix<Float>, inputs: Matrix<Float>) -> (outputs: Matrix<Float>, chosen: [[Int]]) {
        var y = inputs.matmul(quantized, transposeOther: true)
        let chosen = compensate(inputs: inputs, outputs: &y)
        return (y, chosen)
    }
}
