/// Integers of `bits` bits packed into 32-bit words as one continuous little-endian bit stream: value k takes
/// bits b·k … b·k+b−1 of the stream, so for 2, 4 and 8 bits each word holds 32/b whole values and for 3 bits
/// 32 values make 3 words (GPTQ's packing, and compressed-tensors' for 4 and 8 bits).
enum BitStream {
    /// `values` (each below 2^bits) packed into ⌈count·bits/32⌉ words.
    static func pack<S: Sequence>(_ values: S, count: Int, bits: Int) -> [UInt32] where S.Element == UInt32 {
        var words = [UInt32](repeating: 0, count: (count * bits + 31) / 32)
        var bit = 0
        for v in values {
            let w = bit >> 5, shift = bit & 31
            words[w] |= v << shift
            if shift + bits > 32 { words[w + 1] |= v >> (32 - shift) }
            bit += bits
        }
        return words
    }

    /// The first `count` values of `bits` bits from `words`.
    static func unpack(_ words: [UInt32], count: Int, bits: Int) -> [UInt32] {
        let mask = UInt32((1 << bits) - 1)
        return (0..<count).map { k in
            let bit = k * bits, w = bit >> 5, shift = bit & 31
            var v = words[w] >> shift
            if shift + bits > 32 { v |= words[w + 1] << (32 - shift) }
            return v & mask
        }
    }
}

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
