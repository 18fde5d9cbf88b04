import QuantCore

/// The parameters one block's forward pass reads: its linears' weights `[out, in]` (replacements included)
/// and biases in layout order, and its 1-D tensors (norm weights and biases) by path inside the block.
/// A gradient has the same shape, so `BlockGradients` holds one of these too.
public struct BlockParameters<S: ForwardScalar>: Sendable {
    /// The block's linears, in layout order.
    public let layers: [LinearLayer]
    public var weights: [Matrix<S>]
    public var biases: [[S]?]
    /// Norm weights and biases by path inside the block, e.g. `input_layernorm.weight`.
    public var vectors: [String: [S]]

    public init(layers: [LinearLayer], weights: [Matrix<S>], biases: [[S]?], vectors: [String: [S]]) {
        precondition(weights.count == layers.count && biases.count == layers.count, "one weight and bias slot per linear")
        (self.layers, self.weights, self.biases, self.vectors) = (layers, weights, biases, vectors)
    }

    /// Zeros of the same shapes (a gradient to accumulate into).
    public var zeros: BlockParameters {
        BlockParameters(layers: layers, weights: weights.map { Matrix(rows: $0.rows, cols: $0.cols) },
                        biases: biases.map { $0.map { [S](repeating: 0, count: $0.count) } },
                        vectors: vectors.mapValues { [S](repeating: 0, count: $0.count) })
    }

    /// The same values in another scalar type.
    public func converted<T: ForwardScalar>(to: T.Type = T.self) -> BlockParameters<T> {
        BlockParameters<T>(layers: layers, weights: weights.map { $0.converted() },
                           biases: biases.map { $0.map { $0.map { T($0) } } },
                           vectors: vectors.mapValues { $0.map { T($0) } })
    }

    /// The 1-D tensor at `path` (one of the architecture's block vectors).
    func vector(_ path: String) -> [S] {
        guard let vector = vectors[path] else { fatalError("block tensor '\(path)' was not loaded") }
        return vector
    }
}

/// The gradients of a scalar loss with respect to a block's parameters and its input hidden states.
public struct BlockGradients<S: ForwardScalar>: Sendable {
    public var parameters: BlockParameters<S>
    /// `[rows, hidden]`, like the block's input.
    public var input: Matrix<S>
}
