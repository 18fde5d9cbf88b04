/// Encodes a row-major weight given as unsigned integer codes and per-block parameters into the raw blocks of
/// Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0, laid out as llama.cpp stores them (the blocks `GGMLDequantize` reads).
///
/// Each row splits into blocks of 32 consecutive weights; block `j` of row `r` is parameter entry
/// `r · (columns / 32) + j`. A weight's value is `d · (code − zeroCode)` for the `_0` types (zero codes 8, 16
/// and 128) and `d · code + m` for the `_1` types. `d` and `m` are stored as IEEE fp16, rounded to nearest
/// even. Block layouts: `d: f16` (then `m: f16` for `_1`), then Q4 `qs: u8[16]` (low nibbles weights 0–15,
/// high nibbles 16–31); Q5 `qh: u32` (bit `i` the fifth bit of weight `i`) then `qs` as Q4; Q8_0 `qs: i8[32]`
/// holding `code − 128`.
///
/// ```swift
/// // a 2 × 64 weight: 4 blocks
/// let bytes = try GGMLBlockEncoding.encode(.q4_1, codes: codes, rows: 2, columns: 64,
///                                          d: [0.1, 0.2, 0.1, 0.3], m: [-0.8, -1.6, -0.8, -2.4])
/// try writer.addTensor("blk.0.ffn_up.weight", dimensions: [64, 2], type: .q4_1, bytes: bytes)
/// ```
public enum GGMLBlockEncoding {
    /// Weights per block.
    public static let blockSize = 32
    /// The types encoded.
    public static let types: [GGMLType] = GGMLType.allCases.filter { Layout($0) != nil }

    /// Bits per code of an encoded type (4, 5 or 8); nil for other types.
    public static func bits(_ type: GGMLType) -> Int? { Layout(type)?.bits }

    /// The code of a zero weight for the `_0` types (8, 16, 128); nil for the `_1` types, which store a min
    /// `m` instead, and for types not encoded.
    public static func zeroCode(_ type: GGMLType) -> Int? {
        guard let layout = Layout(type), !layout.hasMin else { return nil }
        return 1 << (layout.bits - 1)
    }

    /// The blocks of a `rows × columns` weight: `codes` row-major (`0…2^bits − 1`), `d` one per block, `m`
    /// one per block for Q4_1 and Q5_1 and empty for the others.
    public static func encode(_ type: GGMLType, codes: [UInt8], rows: Int, columns: Int,
                              d: [Float], m: [Float] = []) throws(GGMLBlockEncodingError) -> [UInt8] {
        guard let layout = Layout(type) else { throw .unsupportedType(type) }
        guard rows >= 0, columns > 0, columns % blockSize == 0,
              !rows.multipliedReportingOverflow(by: columns).overflow else {
            throw .invalidShape(type: type, rows: rows, columns: columns)
        }
        let blocks = rows * columns / blockSize
        guard codes.count == rows * columns else {
            throw .countMismatch(type: type, what: "codes", expected: rows * columns, actual: codes.count)
        }
        guard d.count == blocks else { throw .countMismatch(type: type, what: "d", expected: blocks, actual: d.count) }
        guard m.count == (layout.hasMin ? blocks : 0) else {
            throw .countMismatch(type: type, what: "m", expected: layout.hasMin ? blocks : 0, actual: m.count)
        }
        let largest = (1 << layout.bits) - 1
        if let index = codes.firstIndex(where: { Int($0) > largest }) {
            throw .codeOutOfRange(type: type, row: index / columns, column: index % columns, code: codes[index], largest: largest)
        }
        let dHalves = try halves(d, "d", type: type, blocksPerRow: columns / blockSize)
        let mHalves = try halves(m, "m", type: type, blocksPerRow: columns / blockSize)

        var out = [UInt8](repeating: 0, count: blocks * type.typeSize)
        codes.withUnsafeBufferPointer { codes in
            out.withUnsafeMutableBufferPointer { out in
                for b in 0..<blocks {
                    let q = codes.baseAddress! + b * blockSize
                    var y = out.baseAddress! + b * type.typeSize
                    store(dHalves[b], at: &y)
                    if layout.hasMin { store(mHalves[b], at: &y) }
                    switch layout.bits {
                    case 8:
                        for i in 0..<blockSize { y[i] = q[i] ^ 0x80 }
                    case 5:
                        var qh: UInt32 = 0
                        for i in 0..<blockSize { qh |= UInt32(q[i] >> 4) << UInt32(i) }
                        withUnsafeBytes(of: qh.littleEndian) { for k in 0..<4 { y[k] = $0[k] } }
                        y += 4
                        nibbles(q, into: y)
                    default:
                        nibbles(q, into: y)
                    }
                }
            }
        }
        return out
    }

    /// Byte `i` of `qs`: the low four bits of weight `i`, then those of weight `i + 16`.
    @inline(__always) private static func nibbles(_ q: UnsafePointer<UInt8>, into y: UnsafeMutablePointer<UInt8>) {
        for i in 0..<blockSize / 2 { y[i] = q[i] & 0x0F | (q[i + blockSize / 2] & 0x0F) << 4 }
    }

    /// Writes a half little-endian at `y` and moves past it.
    @inline(__always) private static func store(_ half: UInt16, at y: inout UnsafeMutablePointer<UInt8>) {
        y[0] = UInt8(half & 0xFF)
        y[1] = UInt8(half >> 8)
        y += 2
    }

    /// The fp16 bit patterns of `values`, refused when one is not finite in fp16.
    private static func halves(_ values: [Float], _ what: String, type: GGMLType,
                               blocksPerRow: Int) throws(GGMLBlockEncodingError) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let half = Float16(value)
            guard half.isFinite else {
                throw .parameterNotRepresentable(type: type, what: what, row: index / blocksPerRow, block: index % blocksPerRow, value: value)
            }
            out.append(half.bitPattern)
        }
        return out
    }

    /// Code width and whether a block stores a min, per encoded type.
    private struct Layout {
        let bits: Int
        let hasMin: Bool

        init?(_ type: GGMLType) {
            switch type {
            case .q4_0: (bits, hasMin) = (4, false)
            case .q4_1: (bits, hasMin) = (4, true)
            case .q5_0: (bits, hasMin) = (5, false)
            case .q5_1: (bits, hasMin) = (5, true)
            case .q8_0: (bits, hasMin) = (8, false)
            default: return nil
            }
        }
    }
}
