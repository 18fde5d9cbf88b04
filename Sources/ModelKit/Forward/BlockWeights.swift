import QuantCore

/// The checkpoint weights of one block, widened to fp32: its linears in layout order and its norms.
/// A linear whose weight is replaced gives up its checkpoint copy (nil) until it is needed again.
struct BlockWeights: Sendable {
    /// `[out, in]` (GPT-2 `Conv1D` already transposed); nil while the layer's weight is replaced.
    var weights: [Matrix<Float>?]
    let biases: [[Float]?]
    /// The 1-D tensors by path inside the block.
    let vectors: [String: [Float]]

    /// Loads one block from `store`, except the linears in `skipping`; every tensor was checked when the
    /// model was built.
    init(layers: [LinearLayer], vectorNames: [String: String], store: TensorStore, skipping: Set<String>) throws(ForwardError) {
        var weights: [Matrix<Float>?] = [], biases: [[Float]?] = [], vectors: [String: [Float]] = [:]
        for layer in layers {
            weights.append(skipping.contains(layer.name) ? nil : try Self.load(layer, store))
            biases.append(try layer.biasName.map { name throws(ForwardError) in try store.vector(name) })
        }
        for (path, name) in vectorNames { vectors[path] = try store.vector(name) }
        (self.weights, self.biases, self.vectors) = (weights, biases, vectors)
    }

    /// One linear's checkpoint weight as `[out, in]`.
    static func load(_ layer: LinearLayer, _ store: TensorStore) throws(ForwardError) -> Matrix<Float> {
        let stored = try store.matrix(layer.tensorName)
        return layer.storedTransposed ? stored.transposed : stored
    }
}

/// What a block's forward pass sees: its linears (with replaced weights and the observer applied)
/// and its norms.
struct BlockContext {
    let layers: [LinearLayer]
    let weights: BlockWeights
    /// Replaced weights by layer name.
    let replacements: [String: Matrix<Float>]
    /// Output adjustments by layer name.
    let adjustments: [String: any LinearOutputAdjustment]
    let observe: ((LinearLayer, Matrix<Float>) -> Void)?
    /// Rows per sequence: the hidden states may stack several sequences of this length.
    let sequenceLength: Int
    /// The layer after whose input the pass stops (the rest of the block is not needed); nil runs it all.
    var stopAfter: String? = nil

    /// Runs the block's `index`-th linear on `x` (`[seq, in]`), showing `x` to the observer first and
    /// letting the layer's adjustment (if any) change `x · Wᵀ` before the bias is added.
    func linear(_ index: Int, _ x: Matrix<Float>) throws(BlockStop) -> Matrix<Float> {
        let layer = layers[index]
        observe?(layer, x)
        if layer.name == stopAfter { throw BlockStop() }
        guard let weight = replacements[layer.name] ?? weights.weights[index] else {
            fatalError("linear '\(layer.name)' has neither a replacement nor its checkpoint weight loaded")
        }
        guard let adjustment = adjustments[layer.name] else { return TensorOps.linear(x, weight, bias: weights.biases[index]) }
        var y = x.matmul(weight, transposeOther: true)
        adjustment.adjust(&y, input: x)
        if let bias = weights.biases[index] { TensorOps.addRowVector(&y, bias) }
        return y
    }

    /// The block's 1-D tensor at `path` (one of the architecture's `blockVectors`).
    func vector(_ path: String) -> [Float] {
        guard let vector = weights.vectors[path] else { fatalError("block tensor '\(path)' was not loaded") }
        return vector
    }
}

/// Ends a block's pass early: the layer it was run for has seen its input.
struct BlockStop: Error {}
