/// One tensor's header entry: name, element type, shape and where its bytes lie.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor name, e.g. `encoder.layer.0.attention.self.query.weight`.
    public let name: String
    /// The element type (for a GGUF tensor: F32, the type it is dequantized to).
    public let dtype: SafetensorsDType
    /// Dimensions, row-major; `[]` is a scalar.
    public let shape: [Int]
    /// The byte range inside the data buffer (which starts right after the header).
    public let dataOffsets: Range<Int>
    /// The stored ggml type of a GGUF tensor (`Q4_1`, …); nil for safetensors.
    public var ggmlType: GGMLType? = nil

    /// The stored type as its format spells it: `F16`, `Q4_1`, ….
    public var storedType: String { ggmlType?.name ?? dtype.rawValue }

    /// Number of elements, `product(shape)` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Number of data bytes.
    public var byteCount: Int { dataOffsets.count }
}
