/// compressed-tensors' `pack-quantized` tensors for one layer, word for word as its `PackedQuantizationCompressor`
/// (`pack_to_int32`) writes them and its `decompress` reads them.
///
/// compressed-tensors quantizes to signed integers q in −2^(b−1)…2^(b−1)−1 with signed zero points zp
/// (w = scale·(q − zp); a symmetric scheme has zp = 0 and stores none), and packs q + 2^(b−1): that is quantbench's
/// unsigned code, and zp + 2^(b−1) its unsigned zero (so a symmetric grid must have every zero at 2^(b−1)).
/// - `weight_packed` I32 `[out, ⌈in·b/32⌉]`: each row's codes as one continuous little-endian bit stream.
/// - `weight_zero_point` I32 `[⌈out·b/32⌉, G]` (asymmetric only): packed along dim 0, each group's zeros over the rows.
/// - `weight_scale` `[out, G]` in the model's dtype; `weight_shape` I64 `[2]` = `[out, in]`.
///
/// Only 4 and 8 bits: other widths packed differently in earlier releases.
public enum CompressedTensorsPacking {
    /// The bit widths every release packs alike.
    public static let bitWidths: Set<Int> = [4, 8]

    /// One layer's tensors, row-major; `weightScale` is F32 here, stored in the checkpoint's dtype.
    public struct Tensors: Equatable, Sendable {
        public var weightPacked: [Int32]
        public var weightScale: [Float]
        public var weightZeroPoint: [Int32]?
        public var weightShape: [Int64]
        public let bits: Int
        public let groups: Int

        public init(weightPacked: [Int32], weightScale: [Float], weightZeroPoint: [Int32]?, weightShape: [Int64], bits: Int, groups: Int) {
            (self.weightPacked, self.weightScale, self.weightZeroPoint, self.weightShape) = (weightPacked, weightScale, weightZeroPoint, weightShape)
            (self.bits, self.groups) = (bits, groups)
        }

        var rows: Int { Int(weightShape[0]) }
        var cols: Int { Int(weightShape[1]) }
        public var weightPackedShape: [Int] { [rows, CompressedTensorsPacking.words(cols, bits: bits)] }
        public var weightScaleShape: [Int] { [rows, groups] }
        public var weightZeroPointShape: [Int] { [CompressedTensorsPacking.words(rows, bits: bits), groups] }
    }

    /// What a layer is on its grid: codes `[out, in]`, scales and zero points `[G, out]` (quantbench's order).
    public struct Grid: Equatable, Sendable {
        public var codes: [UInt8]
        public var scales: [Float]
        public var zeros: [Float]
    }

    static func words(_ count: Int, bits: Int) -> Int { (count * bits + 31) / 32 }

    /// The layer's tensors. `scales` and `zeros` are `[groups, rows]`; `groupIndex` must put column c in group
    /// c / (cols / groups) (compressed-tensors' `group` strategy, or `channel` for one group).
    public static func pack(codes: [UInt8], scales: [Float], zeros: [Float], groupIndex: [Int32],
                            rows: Int, cols: Int, bits: Int, symmetric: Bool) throws(PackingError) -> Tensors {
        guard bitWidths.contains(bits) else { throw .unsupportedBits(format: "compressed-tensors pack-quantized", bits: bits, supported: bitWidths.sorted()) }
        guard rows > 0, cols > 0 else { throw .sizeMismatch(tensor: "weight", expected: 1, got: 0) }
        try PackingCheck.count("codes", codes.count, rows * cols)
        try PackingCheck.codes(codes, bits: bits)
        let groups = scales.count / rows
        try PackingCheck.count("scales", scales.count, max(groups, 1) * rows)
        try PackingCheck.count("zeros", zeros.count, groups * rows)
        try PackingCheck.count("g_idx", groupIndex.count, cols)
        guard cols % groups == 0 else { throw .sizeMismatch(tensor: "g_idx", expected: cols / groups * groups, got: cols) }
        for (c, g) in groupIndex.enumerated() where Int(g) != c / (cols / groups) {
            throw .groupsNotContiguous(column: c, group: Int(g), expected: c / (cols / groups))
        }
        let half = 1 << (bits - 1)
        let zeroValues = try PackingCheck.integers("zeros", zeros, in: 0...(1 << bits) - 1)
        if symmetric, let i = zeroValues.firstIndex(where: { $0 != half }) {
            throw .asymmetricZero(group: i / rows, row: i % rows, zero: Double(zeros[i]), expected: half)
        }
        var packed = [Int32](); packed.reserveCapacity(rows * words(cols, bits: bits))
        for r in 0..<rows {
            packed += BitStream.pack(codes[r * cols..<(r + 1) * cols].lazy.map(UInt32.init), count: cols, bits: bits).map { Int32(bitPattern: $0) }
        }
        var zeroPoint: [Int32]?
        if !symmetric {
            let zw = words(rows, bits: bits)
            var z = [Int32](repeating: 0, count: zw * groups)
            for g in 0..<groups {
                let stream = BitStream.pack(zeroValues[g * rows..<(g + 1) * rows].lazy.map { UInt32($0) }, count: rows, bits: bits)
                for (w, word) in stream.enumerated() { z[w * groups + g] = Int32(bitPattern: word) }
            }
            zeroPoint = z
        }
        let scale = (0..<rows).flatMap { r in (0..<groups).map { g in scales[g * rows + r] } }
        return Tensors(weightPacked: packed, weightScale: scale, weightZeroPoint: zeroPoint,
                       weightShape: [Int64(rows), Int64(cols)], bits: bits, groups: groups)
    }

    /// The grid `t` stores, scales and zeros back in `[groups, rows]` order (2^(b−1) for a symmetric scheme).
    /// Any width of 1 to 8 bits reads as this release's dense stream (only 4 and 8 are written).
    public static func unpack(_ t: Tensors) throws(PackingError) -> Grid {
        guard (1...8).contains(t.bits) else { throw .unsupportedBits(format: "compressed-tensors pack-quantized", bits: t.bits, supported: Array(1...8)) }
        try PackingCheck.count("weight_shape", t.weightShape.count, 2)
        let (rows, cols, groups, bits) = (t.rows, t.cols, t.groups, t.bits)
        try PackingCheck.count("weight_packed", t.weightPacked.count, t.weightPackedShape.reduce(1, *))
        try PackingCheck.count("weight_scale", t.weightScale.count, rows * groups)
        let words = words(cols, bits: bits)
        var codes = [UInt8](); codes.reserveCapacity(rows * cols)
        for r in 0..<rows {
            codes += BitStream.unpack(t.weightPacked[r * words..<(r + 1) * words].map { UInt32(bitPattern: $0) }, count: cols, bits: bits).map { UInt8($0) }
        }
        var zeros = [Float](repeating: Float(1 << (bits - 1)), count: groups * rows)
        if let z = t.weightZeroPoint {
            let zw = self.words(rows, bits: bits)
            try PackingCheck.count("weight_zero_point", z.count, zw * groups)
            for g in 0..<groups {
                let column = BitStream.unpack((0..<zw).map { UInt32(bitPattern: z[$0 * groups + g]) }, count: rows, bits: bits)
                for (r, v) in column.enumerated() { zeros[g * rows + r] = Float(v) }
            }
        }
        let scales = (0..<groups).flatMap { g in (0..<rows).map { r in t.weightScale[r * groups + g] } }
        return Grid(codes: codes, scales: scales, zeros: zeros)
    }
}
