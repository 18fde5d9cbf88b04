/// GPTQ's packed tensors for one layer, word for word as GPTQModel's `pack` (`pack_block`) writes them and
/// GPTQModel, AutoGPTQ and transformers with optimum read them.
///
/// - `qweight` I32 `[in·b/32, out]`: each output column's codes along the input dimension as one continuous
///   little-endian bit stream (code k at bits b·k … b·k+b−1), so at 3 bits every 32 inputs make 3 words with codes
///   10 and 21 split across words.
/// - `qzeros` I32 `[G, out·b/32]`: each group's zero points along the output dimension, the same stream; `gptq`
///   (v1) stores zero − 1, `gptq_v2` the zero itself.
/// - `scales` F16 `[G, out]` (GPTQModel rounds them to fp16), `g_idx` I32 `[in]` (the group of each input column,
///   kept as given, so activation order survives).
///
/// ```swift
/// let t = try GPTQPacking.pack(codes: codes, scales: scales, zeros: zeros, groupIndex: gIdx,
///                              rows: 4096, cols: 4096, bits: 4, format: .v2)
/// ```
public enum GPTQPacking {
    /// The bit widths GPTQ packs as a plain bit stream (5, 6 and 7 exist only as GPTQModel's planar layout).
    public static let bitWidths: Set<Int> = [2, 3, 4, 8]

    /// How `qzeros` holds zero points: the config's `checkpoint_format`.
    public enum ZeroFormat: String, CaseIterable, Sendable {
        /// `gptq`: zero − 1 (AutoGPTQ's layout; a zero of 0 cannot be stored).
        case v1 = "gptq"
        /// `gptq_v2`: the zero itself (GPTQModel's layout).
        case v2 = "gptq_v2"

        var offset: Int { self == .v1 ? 1 : 0 }
    }

    /// One layer's GPTQ tensors, row-major.
    public struct Tensors: Equatable, Sendable {
        public var qweight: [Int32]
        public var qzeros: [Int32]
        public var scales: [Float16]
        public var groupIndex: [Int32]
        public let rows: Int
        public let cols: Int
        public let groups: Int
        public let bits: Int

        public init(qweight: [Int32], qzeros: [Int32], scales: [Float16], groupIndex: [Int32], rows: Int, cols: Int, groups: Int, bits: Int) {
            (self.qweight, self.qzeros, self.scales, self.groupIndex) = (qweight, qzeros, scales, groupIndex)
            (self.rows, self.cols, self.groups, self.bits) = (rows, cols, groups, bits)
        }

        public var qweightShape: [Int] { [cols * bits / 32, rows] }
        public var qzerosShape: [Int] { [groups, rows * bits / 32] }
        public var scalesShape: [Int] { [groups, rows] }
        public var groupIndexShape: [Int] { [cols] }
    }

    /// What a layer is on its grid: codes `[out, in]`, scales and zero points `[G, out]`, `g_idx` `[in]`.
    public struct Grid: Equatable, Sendable {
        public var codes: [UInt8]
        public var scales: [Float]
        public var zeros: [Float]
        public var groupIndex: [Int32]
    }

    /// Throws unless `bits` is packed and `rows` × `cols` fill whole words along both packed dimensions.
    public static func check(rows: Int, cols: Int, bits: Int) throws(PackingError) {
        guard bitWidths.contains(bits) else { throw .unsupportedBits(format: "GPTQ", bits: bits, supported: bitWidths.sorted()) }
        guard cols > 0, cols * bits % 32 == 0 else { throw .notWholeWords(format: "GPTQ qweight", dimension: "input columns", count: cols, bits: bits) }
        guard rows > 0, rows * bits % 32 == 0 else { throw .notWholeWords(format: "GPTQ qzeros", dimension: "output rows", count: rows, bits: bits) }
    }

    /// The layer's tensors. `scales` and `zeros` are `[groups, rows]`; zeros must be integers in 0…2^bits−1
    /// (and at least 1 for v1).
    public static func pack(codes: [UInt8], scales: [Float], zeros: [Float], groupIndex: [Int32],
                            rows: Int, cols: Int, bits: Int, format: ZeroFormat) throws(PackingError) -> Tensors {
        try check(rows: rows, cols: cols, bits: bits)
        let groups = scales.count / rows
        try PackingCheck.count("scales", scales.count, groups * rows)
        try PackingCheck.count("zeros", zeros.count, groups * rows)
        try PackingCheck.count("g_idx", groupIndex.count, cols)
        if let i = groupIndex.firstIndex(where: { !(0..<Int32(groups)).contains($0) }) {
            throw .outOfRange(tensor: "g_idx", index: i, value: Double(groupIndex[i]), range: 0...max(groups - 1, 0))
        }
        return Tensors(qweight: try qweight(codes: codes, rows: rows, cols: cols, bits: bits),
                       qzeros: try qzeros(zeros, groups: groups, columns: rows, bits: bits, format: format),
                       scales: scales.map { Float16($0) }, groupIndex: groupIndex, rows: rows, cols: cols, groups: groups, bits: bits)
    }

    /// `codes` `[rows (out), cols (in)]` row-major as `qweight` `[cols·bits/32, rows]` row-major.
    public static func qweight(codes: [UInt8], rows: Int, cols: Int, bits: Int) throws(PackingError) -> [Int32] {
        try check(rows: rows, cols: cols, bits: bits)
        try PackingCheck.count("codes", codes.count, rows * cols)
        try PackingCheck.codes(codes, bits: bits)
        let wordsPerColumn = cols * bits / 32
        var out = [Int32](repeating: 0, count: wordsPerColumn * rows)
        for r in 0..<rows {
            let stream = BitStream.pack(codes[r * cols..<(r + 1) * cols].lazy.map(UInt32.init), count: cols, bits: bits)
            for (w, word) in stream.enumerated() { out[w * rows + r] = Int32(bitPattern: word) }
        }
        return out
    }

    /// Zero points `[groups, columns]` row-major as `qzeros` `[groups, columns·bits/32]`.
    public static func qzeros(_ zeros: [Float], groups: Int, columns: Int, bits: Int, format: ZeroFormat) throws(PackingError) -> [Int32] {
        guard bitWidths.contains(bits) else { throw .unsupportedBits(format: "GPTQ", bits: bits, supported: bitWidths.sorted()) }
        guard columns * bits % 32 == 0 else { throw .notWholeWords(format: "GPTQ qzeros", dimension: "output rows", count: columns, bits: bits) }
        try PackingCheck.count("zeros", zeros.count, groups * columns)
        let values = try PackingCheck.integers("zeros", zeros, in: 0...(1 << bits) - 1)
        if format == .v1, let i = values.firstIndex(of: 0) { throw .zeroOfZeroInVersion1(group: i / columns, column: i % columns) }
        return (0..<groups).flatMap { g in
            BitStream.pack(values[g * columns..<(g + 1) * columns].lazy.map { UInt32($0 - format.offset) }, count: columns, bits: bits)
                .map { Int32(bitPattern: $0) }
        }
    }

    /// The grid `t` stores: codes, scales (widened from fp16), zero points and `g_idx`.
    public static func unpack(_ t: Tensors, format: ZeroFormat) throws(PackingError) -> Grid {
        try check(rows: t.rows, cols: t.cols, bits: t.bits)
        try PackingCheck.count("qweight", t.qweight.count, t.qweightShape.reduce(1, *))
        try PackingCheck.count("qzeros", t.qzeros.count, t.qzerosShape.reduce(1, *))
        try PackingCheck.count("scales", t.scales.count, t.groups * t.rows)
        try PackingCheck.count("g_idx", t.groupIndex.count, t.cols)
        let words = t.cols * t.bits / 32, zeroWords = t.rows * t.bits / 32
        var codes = [UInt8](repeating: 0, count: t.rows * t.cols)
        for r in 0..<t.rows {
            let column = BitStream.unpack((0..<words).map { UInt32(bitPattern: t.qweight[$0 * t.rows + r]) }, count: t.cols, bits: t.bits)
            for (c, code) in column.enumerated() { codes[r * t.cols + c] = UInt8(code) }
        }
        let zeros = (0..<t.groups).flatMap { g in
            BitStream.unpack(t.qzeros[g * zeroWords..<(g + 1) * zeroWords].map { UInt32(bitPattern: $0) }, count: t.rows, bits: t.bits)
                .map { Float(Int($0) + format.offset) }
        }
        return Grid(codes: codes, scales: t.scales.map(Float.init), zeros: zeros, groupIndex: t.groupIndex)
    }
}
