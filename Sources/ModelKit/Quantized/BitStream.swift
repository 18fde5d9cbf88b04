/// Integers of `bits` bits packed into 32-bit words as one continuous little-endian bit stream: value k takes
/// bits b·k … b·k+b−1 of the stream, so for 2, 4 and 8 bits each word holds 32/b whole values and for 3 bits
/// 32 values make 3 words (GPTQ's packing, and compressed-tensors' for 4 and 8 bits).
public enum BitStream {
    /// `values` (each below 2^bits) packed into ⌈count·bits/32⌉ words.
    public static func pack<S: Sequence>(_ values: S, count: Int, bits: Int) -> [UInt32] where S.Element == UInt32 {
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
    public static func unpack(_ words: [UInt32], count: Int, bits: Int) -> [UInt32] {
        let mask = UInt32((1 << bits) - 1)
        return (0..<count).map { k in
            let bit = k * bits, w = bit >> 5, shift = bit & 31
            var v = words[w] >> shift
            if shift + bits > 32 { v |= words[w + 1] << (32 - shift) }
            return v & mask
        }
    }
}
