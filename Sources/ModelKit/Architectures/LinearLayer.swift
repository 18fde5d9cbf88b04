/// One quantizable linear layer of a transformer block.
public struct LinearLayer: Sendable, Equatable {
    /// Short display name: block index and module path, e.g. `0.attention.self.query`.
    public let name: String
    /// The checkpoint's weight tensor name, prefix included, e.g. `bert.encoder.layer.0.attention.self.query.weight`.
    public let tensorName: String
    /// The bias tensor name, when the checkpoint stores one.
    public let biasName: String?
    /// The block (layer) index, from 0.
    public let block: Int
    /// Rows of the `[out, in]` weight: output channels.
    public let outFeatures: Int
    /// Columns of the `[out, in]` weight: input features.
    public let inFeatures: Int
    /// True for GPT-2 `Conv1D` weights, stored `[in, out]` and transposed once at load.
    public let storedTransposed: Bool

    /// The weight shape as loaded, `[out, in]`.
    public var shape: [Int] { [outFeatures, inFeatures] }

    /// The weight shape as stored in the file.
    public var storedShape: [Int] { storedTransposed ? [inFeatures, outFeatures] : [outFeatures, inFeatures] }
}
