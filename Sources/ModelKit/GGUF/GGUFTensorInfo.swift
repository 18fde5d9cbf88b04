/// One tensor info of a GGUF file: its name, ggml dimensions, element type and data offset.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// ggml's `ne`: the innermost (contiguous) dimension first, so a `[out, in]` weight is `[in, out]`.
    public let dimensions: [Int]
    /// The element type.
    public let type: GGMLType
    /// The byte offset inside the data section.
    public let offset: Int

    /// The row-major shape, outermost first (`dimensions` reversed), as a safetensors file would give it.
    public var shape: [Int] { dimensions.reversed() }

    /// Number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Number of data bytes: whole blocks of the type.
    public var byteCount: Int { elementCount / type.blockSize * type.typeSize }
}
