#if !_endian(little)
#error("safetensors data is little-endian; this reader copies it as host-order values")
#endif

/// Converts raw little-endian tensor bytes of a floating-point dtype to `Float` or `Double`.
///
/// Reads are byte copies, so the source needs no alignment (third-party writers may not
/// align tensors). BF16 widens exactly (`bits << 16`), F16 through `Float16`.
enum FloatWidening {
    case f16, bf16, f32, f64

    /// The widening for `dtype`, or nil when it is not F16, BF16, F32 or F64.
    init?(_ dtype: SafetensorsDType) {
        switch dtype {
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .f32: self = .f32
        case .f64: self = .f64
        default: return nil
        }
    }

    /// Widens `count` elements to `Float`; F64 rounds to nearest.
    func floats(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
        switch self {
        case .f32: Self.copied(raw, as: Float.self, count: count)
        case .f64: Self.copied(raw, as: Double.self, count: count).map { Float($0) }
        case .f16: Self.copied(raw, as: UInt16.self, count: count).map { Float(Float16(bitPattern: $0)) }
        case .bf16: Self.copied(raw, as: UInt16.self, count: count).map { Float(bitPattern: UInt32($0) << 16) }
        }
    }

    /// Widens `count` elements to `Double`, exactly.
    func doubles(_ raw: UnsafeRawBufferPointer, count: Int) -> [Double] {
        switch self {
        case .f64: Self.copied(raw, as: Double.self, count: count)
        case .f32, .f16, .bf16: floats(raw, count: count).map { Double($0) }
        }
    }

    private static func copied<T>(_ raw: UnsafeRawBufferPointer, as type: T.Type, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(count * MemoryLayout<T>.stride)))
            initialized = count
        }
    }
}
