/// One tensor's header entry: name, element type, shape and where its bytes lie.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor name, e.g. `encoder.layer.0.attention.self.query.weight`.
    public let name: String
    /// The element type.
    public let dtype: SafetensorsDType
    /// Dimensions, row-major; `[]` is a scalar.
    public let shape: [Int]
    /// The byte range inside the data buffer (which starts right after the header).
    public let dataOffsets: Range<Int>

    /// Number of elements, `product(shape)` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Number of data bytes.
    public var byteCount: Int { dataOffsets.count }
}
