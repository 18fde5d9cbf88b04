/// The K-quants: super-blocks of 256 elements in sub-blocks of 16 or 32, with quantized sub-block scales,
/// dequantized exactly as ggml's reference `dequantize_row_q*_K`.
extension GGMLType {
    /// `scales: u8[16]` (low nibble scale, high nibble min), `qs: u8[64]` (2 bits), `d, dmin: f16`.
    static func q2_K(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(80), dmin = block.half(82)
        var out = 0, scale = 0
        for half in 0..<2 {
            let qs = 16 + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let sc = block.byte(scale)
                    scale += 1
                    let dl = d * Float(sc & 0x0F), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 { y[out + l] = dl * Float((block.byte(qs + part * 16 + l) >> UInt8(shift)) & 3) - ml }
                    out += 16
                }
            }
        }
    }

    /// `hmask: u8[32]` (the third bit, inverted), `qs: u8[64]` (2 bits), `scales: u8[12]` (16 six-bit scales), `d: f16`.
    static func q3_K(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(108)
        let a0 = block.uint32(96), a1 = block.uint32(100), tmp = block.uint32(104)
        let low: UInt32 = 0x0F0F_0F0F, two: UInt32 = 0x0303_0303
        let words = [(a0 & low) | ((tmp & two) << 4), (a1 & low) | (((tmp >> 2) & two) << 4),
                     ((a0 >> 4) & low) | (((tmp >> 4) & two) << 4), ((a1 >> 4) & low) | (((tmp >> 6) & two) << 4)]
        var scales = [Int](repeating: 0, count: 16)
        for i in 0..<16 { scales[i] = Int(Int8(bitPattern: UInt8(truncatingIfNeeded: words[i / 4] >> UInt32(8 * (i % 4))))) - 32 }
        var out = 0, scale = 0, mask: UInt8 = 1
        for half in 0..<2 {
            let qs = 32 + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let dl = d * Float(scales[scale])
                    scale += 1
                    for l in 0..<16 {
                        let i = part * 16 + l
                        let q = Int((block.byte(qs + i) >> UInt8(shift)) & 3) - (block.byte(i) & mask != 0 ? 0 : 4)
                        y[out + l] = dl * Float(q)
                    }
                    out += 16
                }
                mask <<= 1
            }
        }
    }

    /// The six-bit scale and min of sub-block `j` of the 12 packed bytes at `offset` (Q4_K, Q5_K).
    private static func scaleMin(_ block: BlockBytes, _ offset: Int, _ j: Int) -> (Float, Float) {
        let q = { block.byte(offset + $0) }
        if j < 4 { return (Float(q(j) & 63), Float(q(j + 4) & 63)) }
        return (Float((q(j + 4) & 0x0F) | ((q(j - 4) >> 6) << 4)), Float((q(j + 4) >> 4) | ((q(j) >> 6) << 4)))
    }

    /// `d, dmin: f16`, `scales: u8[12]`, `qs: u8[128]` (4 bits; 64 elements per 32 bytes, low then high nibbles).
    static func q4_K(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(0), dmin = block.half(2)
        for chunk in 0..<4 {
            let (s1, m1) = scaleMin(block, 4, 2 * chunk), (s2, m2) = scaleMin(block, 4, 2 * chunk + 1)
            let qs = 16 + chunk * 32, out = chunk * 64
            for l in 0..<32 {
                let q = block.byte(qs + l)
                y[out + l] = d * s1 * Float(q & 0x0F) - dmin * m1
                y[out + 32 + l] = d * s2 * Float(q >> 4) - dmin * m2
            }
        }
    }

    /// `d, dmin: f16`, `scales: u8[12]`, `qh: u8[32]` (fifth bits), `qs: u8[128]` (low 4 bits).
    static func q5_K(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(0), dmin = block.half(2)
        for chunk in 0..<4 {
            let (s1, m1) = scaleMin(block, 4, 2 * chunk), (s2, m2) = scaleMin(block, 4, 2 * chunk + 1)
            let qs = 48 + chunk * 32, out = chunk * 64
            let bit1 = UInt8(1) << UInt8(2 * chunk), bit2 = UInt8(2) << UInt8(2 * chunk)
            for l in 0..<32 {
                let q = block.byte(qs + l), h = block.byte(16 + l)
                y[out + l] = d * s1 * Float(Int(q & 0x0F) + (h & bit1 != 0 ? 16 : 0)) - dmin * m1
                y[out + 32 + l] = d * s2 * Float(Int(q >> 4) + (h & bit2 != 0 ? 16 : 0)) - dmin * m2
            }
        }
    }

    /// `ql: u8[128]` (low 4 bits), `qh: u8[64]` (high 2 bits), `scales: i8[16]`, `d: f16`; `y = d · scale · (q − 32)`.
    static func q6_K(_ block: BlockBytes, _ y: UnsafeMutablePointer<Float>) {
        let d = block.half(208)
        for half in 0..<2 {
            let ql = half * 64, qh = 128 + half * 32, sc = 192 + half * 8, out = half * 128
            for l in 0..<32 {
                let s = l / 16
                let lo0 = block.byte(ql + l), lo1 = block.byte(ql + l + 32), hi = block.byte(qh + l)
                let q1 = Int((lo0 & 0x0F) | ((hi & 3) << 4)) - 32
                let q2 = Int((lo1 & 0x0F) | (((hi >> 2) & 3) << 4)) - 32
                let q3 = Int((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32
                let q4 = Int((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32
                y[out + l] = d * Float(block.int8(sc + s)) * Float(q1)
                y[out + l + 32] = d * Float(block.int8(sc + s + 2)) * Float(q2)
                y[out + l + 64] = d * Float(block.int8(sc + s + 4)) * Float(q3)
                y[out + l + 96] = d * Float(block.int8(sc + s + 6)) * Float(q4)
            }
        }
    }
}
