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
