#if !_endian(little)
#error("GGUF data is read as little-endian host values")
#endif

/// Reads little-endian fields at byte offsets of a block without alignment requirements.
struct BlockBytes {
    let base: UnsafeRawPointer

    @inline(__always) func byte(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
    @inline(__always) func int8(_ offset: Int) -> Int8 { base.load(fromByteOffset: offset, as: Int8.self) }
    @inline(__always) func uint32(_ offset: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    /// An IEEE half at `offset`, widened.
    @inline(__always) func half(_ offset: Int) -> Float {
        Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }
}

extension GGMLType {
    /// Dequantizes whole blocks: `source` holds `destination.count / blockSize` blocks of this type, laid out as
    /// ggml writes them. Traps unless the type is dequantizable and the sizes agree (callers check both).
    func dequantize(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(destination.count % blockSize == 0 && source.count == destination.count / blockSize * typeSize,
                     "\(name): \(source.count) bytes do not hold \(destination.count) elements")
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        let blocks = destination.count / blockSize
        for b in 0..<blocks {
            let block = BlockBytes(base: src + b * typeSize)
            let y = dst + b * blockSize
            switch self {
            case .f32: y[0] = block.base.loadUnaligned(as: Float.self)
            case .f16: y[0] = block.half(0)
            case .bf16: y[0] = Float(bitPattern: UInt32(block.base.loadUnaligned(as: UInt16.self)) << 16)
            case .q8_0: Self.q8_0(block, y)
            case .q4_0: Self.q4_0(block, y)
            case .q4_1: Self.q4_1(block, y)
            case .q5_0: Self.q5(block, y, hasMin: false)
            case .q5_1: Self.q5(block, y, hasMin: true)
            case .q2_K: Self.q2_K(block, y)
            case .q3_K: Self.q3_K(block, y)
            case .q4_K: Self.q4_K(block, y)
            case .q5_K: Self.q5_K(block, y)
            case .q6_K: Self.q6_K(block, y)
            default: preconditionFailure("\(name) is not dequantizable")
            }
        }
    }

    /// `d: f16, qs: i8[32]`; `y = d · q`.
    private static func q8_0(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(0)
        for j in 0..<32 { y[j] = d * Float(block.int8(2 + j)) }
    }

    /// `d: f16, qs: u8[16]` (low nibbles elements 0–15, high nibbles 16–31); `y = d · (q − 8)`.
    private static func q4_0(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(0)
        for j in 0..<16 {
            let q = block.byte(2 + j)
            y[j] = d * Float(Int(q & 0x0F) - 8)
            y[j + 16] = d * Float(Int(q >> 4) - 8)
        }
    }

    /// `d, m: f16, qs: u8[16]`; `y = d · q + m`.
    private static func q4_1(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(0), m = block.half(2)
        for j in 0..<16 {
            let q = block.byte(4 + j)
            y[j] = d * Float(q & 0x0F) + m
            y[j + 16] = d * Float(q >> 4) + m
        }
    }

    /// Q5_0 `d: f16, qh: u32, qs: u8[16]` (`y = d · (q − 16)`) and Q5_1 `d, m: f16, qh, qs` (`y = d · q + m`):
    /// bit j of `qh` is the fifth bit of element j. Q5_0 adds no zero min, which would turn a −0 into +0.
    private static func q5(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>, hasMin: Bool) {
        let d = block.half(0), m = hasMin ? block.half(2) : 0
        let header = hasMin ? 4 : 2
        let qh = block.uint32(header)
        let value = { (q: Int) -> Float in hasMin ? d * Float(q) + m : d * Float(q - 16) }
        for j in 0..<16 {
            let q = block.byte(header + 4 + j)
            let high0 = Int((qh >> UInt32(j)) & 1) << 4, high1 = Int((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = value(Int(q & 0x0F) | high0)
            y[j + 16] = value(Int(q >> 4) | high1)
        }
    }
}
