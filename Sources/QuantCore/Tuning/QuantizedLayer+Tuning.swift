/// A quantized layer's trainable values by `TunableGroup`, and the chain rule from `∂L/∂Ŵ` to them:
/// Ŵ = grid value of each code (or the codebook decode) + outliers, with the codes fixed.
extension QuantizedLayer {
    /// The values of `group` (empty when the layer has none, e.g. `codebooks` of a grid layer).
    public func tunable(_ group: TunableGroup) -> [Scalar] {
        switch group {
        case .scales: codebooks?.scales ?? grid.scales
        case .zeros: codebooks == nil ? grid.zeros : []
        case .codebooks: codebooks?.codebooks ?? []
        case .outliers: outliers.entries.map(\.value)
        case .norms, .biases: []
        }
    }

    /// Sets the values of `group` (as many as `tunable(group)` gave).
    public mutating func setTunable(_ group: TunableGroup, _ values: [Scalar]) {
        precondition(values.count == tunable(group).count, "\(group) has \(tunable(group).count) values, got \(values.count)")
        switch group {
        case .scales: if codebooks != nil { codebooks!.scales = values } else { grid.scales = values }
        case .zeros: grid.zeros = values
        case .codebooks: codebooks!.codebooks = values
        case .outliers: for i in outliers.entries.indices { outliers.entries[i].value = values[i] }
        case .norms, .biases: break
        }
    }

    /// `∂L/∂(group)` from `∂L/∂Ŵ` (`[rows, cols]`).
    @_specialize(where Scalar == Float)
    public func tunableGradient(_ group: TunableGroup, weightGradient dW: Matrix<Scalar>) -> [Scalar] {
        precondition(dW.rows == rows && dW.cols == cols, "∂L/∂Ŵ is \(dW.shape), the layer [\(rows), \(cols)]")
        if let codebooks { return codebookGradient(group, codebooks, dW) }
        switch group {
        case .scales, .zeros:
            var gradient = [Scalar](repeating: 0, count: grid.scales.count)
            dW.storage.withUnsafeBufferPointer { d in
                for r in 0..<rows {
                    for c in 0..<cols {
                        let g = Int(grid.groupIndex[c]) * rows + r
                        let upstream = d[r * cols + c]
                        gradient[g] += group == .scales ? upstream * (Scalar(codes[r * cols + c]) - grid.zeros[g])
                                                        : -upstream * grid.scales[g]
                    }
                }
            }
            return gradient
        case .outliers:
            return outliers.entries.map { dW.storage[$0.index] }
        case .codebooks, .norms, .biases:
            return []
        }
    }

    /// The codebook layer's gradients: `∂/∂s_o = ⟨∂Ŵ_o, Σ_m C_m[code]⟩`, `∂/∂C_m[k] = Σ s_o ∂Ŵ_{o,j}` over the
    /// groups coded `k` in codebook m.
    private func codebookGradient(_ group: TunableGroup, _ layer: AdditiveCodebooks<Scalar>, _ dW: Matrix<Scalar>) -> [Scalar] {
        let g = layer.groupSize, groups = layer.groupsPerRow, mc = layer.codebookCount, k = layer.codebookSize
        switch group {
        case .scales:
            var unscaled = [Scalar](repeating: 0, count: rows * cols)
            unscaled.withUnsafeMutableBufferPointer { layer.decode(into: $0.baseAddress!, scaled: false) }
            return (0..<rows).map { o in
                var sum: Scalar = 0
                for c in 0..<cols { sum += dW.storage[o * cols + c] * unscaled[o * cols + c] }
                return sum
            }
        case .codebooks:
            var gradient = [Scalar](repeating: 0, count: layer.codebooks.count)
            for o in 0..<rows {
                let s = layer.scales[o]
                for j in 0..<groups {
                    for m in 0..<mc {
                        let base = (m * k + Int(layer.codes[(o * groups + j) * mc + m])) * g
                        for a in 0..<g { gradient[base + a] += s * dW.storage[o * cols + j * g + a] }
                    }
                }
            }
            return gradient
        case .outliers:
            return outliers.entries.map { dW.storage[$0.index] }
        case .zeros, .norms, .biases:
            return []
        }
    }
}
