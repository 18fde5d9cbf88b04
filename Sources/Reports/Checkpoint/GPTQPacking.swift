import ModelKit

/// GPTQ's tensors: `qweight` `[in·b/32, out]` packs each output column's codes along the input dimension;
/// `qzeros` `[G, out·b/32]` packs each group's zero points along the output dimension (as GPTQModel's `pack`).
enum GPTQPacking {
    /// `codes` `[rows (out), cols (in)]` row-major as `qweight` `[cols·bits/32, rows]` row-major.
    static func qweight(codes: [UInt8], rows: Int, cols: Int, bits: Int) -> [Int32] {
        let wordsPerColumn = cols * bits / 32
        var out = [Int32](repeating: 0, count: wordsPerColumn * rows)
        for r in 0..<rows {
            let stream = BitStream.pack(codes[r * cols..<(r + 1) * cols].lazy.map(UInt32.init), count: cols, bits: bits)
            for (w, word) in stream.enumerated() { out[w * rows + r] = Int32(bitPattern: word) }
        }
        return out
    }

    /// Zero points `[groups, columns]` row-major as `qzeros` `[groups, columns·bits/32]`; v1 (`gptq`) stores
    /// zero − 1 (in the grid's bit width, so a zero of 0 would wrap: callers write v2 for such grids).
    static func qzeros(_ zeros: [Int32], groups: Int, columns: Int, bits: Int, version2: Bool) -> [Int32] {
        let mask = UInt32((1 << bits) - 1)
        return (0..<groups).flatMap { g in
            BitStream.pack(zeros[g * columns..<(g + 1) * columns].lazy.map { UInt32(bitPattern: $0 - (version2 ? 0 : 1)) & mask },
                           count: columns, bits: bits).map { Int32(bitPattern: $0) }
        }
    }
}
