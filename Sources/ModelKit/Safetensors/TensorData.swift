/// The elements of one tensor to write, row-major, in one of the writer's element types.
public enum TensorData: Sendable, Equatable {
    case f64([Double])
    case f32([Float])
    case f16([Float16])
    /// Values rounded to bfloat16 (nearest, ties to even) when written.
    case bf16([Float])
    case i64([Int64])
    case i32([Int32])
    case i16([Int16])
    case i8([Int8])
    case u8([UInt8])

    /// The safetensors dtype written for this case.
    public var dtype: SafetensorsDType {
        switch self {
        case .f64: .f64
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .i64: .i64
        case .i32: .i32
        case .i16: .i16
        case .i8: .i8
        case .u8: .u8
        }
    }

    /// Bytes of element data.
    public var byteCount: Int { count * dtype.bitWidth / 8 }

    /// Number of elements.
    public var count: Int {
        switch self {
        case let .f64(v): v.count
        case let .f32(v): v.count
        case let .f16(v): v.count
        case let .bf16(v): v.count
        case let .i64(v): v.count
        case let .i32(v): v.count
        case let .i16(v): v.count
        case let .i8(v): v.count
        case let .u8(v): v.count
        }
    }

    /// Calls `body` with the little-endian bytes of the elements.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case let .f64(v): try v.withUnsafeBytes(body)
        case let .f32(v): try v.withUnsafeBytes(body)
        case let .f16(v): try v.withUnsafeBytes(body)
        case let .bf16(v): try v.map(Self.bfloat16Bits).withUnsafeBytes(body)
        case let .i64(v): try v.withUnsafeBytes(body)
        case let .i32(v): try v.withUnsafeBytes(body)
        case let .i16(v): try v.withUnsafeBytes(body)
        case let .i8(v): try v.withUnsafeBytes(body)
        case let .u8(v): try v.withUnsafeBytes(body)
        }
    }

    /// The bfloat16 bit pattern nearest to `value` (ties to even); NaN stays a quiet NaN.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        guard !value.isNaN else { return 0x7FC0 | UInt16(value.bitPattern >> 16 & 0x8000) }
        let bits = value.bitPattern
        let rounding: UInt32 = 0x7FFF + (bits >> 16 & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
