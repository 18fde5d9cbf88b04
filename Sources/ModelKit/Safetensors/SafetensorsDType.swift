/// An element type of a safetensors tensor, spelled as in the file header.
///
/// The cases follow the reference crate's enum order, which is also the order its writer
/// uses (descending) to lay tensors out so that each one is naturally aligned.
public enum SafetensorsDType: String, Sendable, CaseIterable, Comparable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bits per element (sub-byte types have 4 or 6).
    public var bitWidth: Int {
        switch self {
        case .f4: 4
        case .f6E2M3, .f6E3M2: 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: 8
        case .i16, .u16, .f16, .bf16: 16
        case .i32, .u32, .f32: 32
        case .c64, .f64, .i64, .u64: 64
        }
    }

    /// True for the types this package widens to `Float`/`Double`: F16, BF16, F32, F64.
    public var isWidenableFloat: Bool {
        switch self {
        case .f16, .bf16, .f32, .f64: true
        default: false
        }
    }

    private var enumIndex: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: SafetensorsDType, rhs: SafetensorsDType) -> Bool {
        lhs.enumIndex < rhs.enumIndex
    }
}
