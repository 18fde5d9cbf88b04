/// The quantized residual `R̂ ≈ W − Ŵ` of one layer, 4-bit symmetric per output row, stored
/// channel-major: input channel j's column `R̂[:, j]` is one contiguous run of packed nibbles, so
/// fetching a salient channel is one read (DecDEC keeps this in host memory and reads it over PCIe).
///
/// Byte `j·bytesPerChannel + o/2` holds output `o` of channel j, the low nibble for even `o`; the stored
/// nibble is `code + 8` (1…15), and a padding nibble (odd `rows`) is 8.
/// ```swift
/// let residual = PackedResidual(weight: w, quantized: wHat)   // [out, in] both
/// residual.accumulate(channel: 17, times: x[17], into: &y)   // y += R̂[:, 17] · x[17]
/// ```
public struct PackedResidual: Sendable, Equatable {
    /// Bits per stored residual weight (one nibble).
    public static let bits = 4
    /// Output channels.
    public let rows: Int
    /// Input channels.
    public let cols: Int
    /// One scale per output row.
    public let scales: [Float]
    /// `cols × bytesPerChannel` bytes of nibbles, channel-major.
    public let packed: [UInt8]

    /// Bytes holding one input channel's column.
    public var bytesPerChannel: Int { (rows + 1) / 2 }

    /// Quantizes `residual` (`[out, in]`) row by row with ``ResidualScaleSearch``.
    public init(residual: Matrix<Float>) {
        var scales = [Float](repeating: 0, count: residual.rows)
        var codes = [Int8](repeating: 0, count: residual.rows * residual.cols)
        residual.storage.withUnsafeBufferPointer { r in
            for o in 0..<residual.rows {
                let row = UnsafeBufferPointer(rebasing: r[o * residual.cols..<(o + 1) * residual.cols])
                let s = ResidualScaleSearch.scale(for: row)
                scales[o] = s
                for j in 0..<residual.cols { codes[o * residual.cols + j] = Int8(ResidualScaleSearch.code(row[j], scale: s)) }
            }
        }
        self.init(rows: residual.rows, cols: residual.cols, scales: scales,
                  packed: Self.pack(codes: codes, rows: residual.rows, cols: residual.cols))
    }

    /// The residual of `quantized` against `weight` (both `[out, in]`).
    public init(weight: Matrix<Float>, quantized: Matrix<Float>) {
        self.init(residual: weight - quantized)
    }

    /// A residual from its stored parts.
    public init(rows: Int, cols: Int, scales: [Float], packed: [UInt8]) {
        precondition(scales.count == rows && packed.count == cols * ((rows + 1) / 2), "residual parts do not match \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.scales = scales
        self.packed = packed
    }

    /// Packs row-major `[rows, cols]` codes in −7…7 channel-major.
    public static func pack(codes: [Int8], rows: Int, cols: Int) -> [UInt8] {
        precondition(codes.count == rows * cols)
        let perChannel = (rows + 1) / 2
        var out = [UInt8](repeating: 0x88, count: cols * perChannel)
        for o in 0..<rows {
            for j in 0..<cols {
                let nibble = UInt8(Int(codes[o * cols + j]) + 8)
                let index = j * perChannel + o / 2
                out[index] = o % 2 == 0 ? (out[index] & 0xF0) | nibble : (out[index] & 0x0F) | (nibble << 4)
            }
        }
        return out
    }

    /// The code (−7…7) of output `row`, input `channel`.
    @inlinable
    public func code(row: Int, channel: Int) -> Int {
        let byte = packed[channel * bytesPerChannel + row / 2]
        return Int(row % 2 == 0 ? byte & 0x0F : byte >> 4) - 8
    }

    /// Every code, row-major `[rows, cols]`.
    public func codes() -> [Int8] {
        var out = [Int8](repeating: 0, count: rows * cols)
        for o in 0..<rows { for j in 0..<cols { out[o * cols + j] = Int8(code(row: o, channel: j)) } }
        return out
    }

    /// `y += R̂[:, channel] · weight` for one position's output `y` (`rows` values).
    @inlinable
    public func accumulate(channel: Int, times weight: Float, into y: UnsafeMutableBufferPointer<Float>) {
        let perChannel = bytesPerChannel, base = channel * perChannel
        packed.withUnsafeBufferPointer { p in
            scales.withUnsafeBufferPointer { s in
                for b in 0..<perChannel {
                    let byte = p[base + b], o = 2 * b
                    y[o] += weight * s[o] * Float(Int(byte & 0x0F) - 8)
                    if o + 1 < rows { y[o + 1] += weight * s[o + 1] * Float(Int(byte >> 4) - 8) }
                }
            }
        }
    }

    /// The dense dequantized residual `[rows, cols]`.
    public func dequantized() -> Matrix<Float> {
        Matrix(rows: rows, cols: cols) { o, j in scales[o] * Float(code(row: o, channel: j)) }
    }

    /// Host memory of the residual in bits: 4 per weight plus a 16-bit scale per output row.
    public var hostBits: Int { Self.bits * rows * cols + 16 * rows }
}
