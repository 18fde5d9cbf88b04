import QuantCore

/// An additive-codebook layer as the `aqlm` package's `QuantizedLinear` (transformers' `AqlmConfig`) holds it,
/// with `out_group_size` 1 and `in_group_size` g:
/// - `codes` `[out, in/g, M]` in aqlm's `get_int_dtype`: I8 for codebooks of up to 2^8 entries, I16 up to 2^16.
///   Codes of 2^(B−1) and more are stored less 2^B (`pack_int_data`); aqlm reads them back modulo 2^B
///   (`unpack_int_data`), the same as a two's-complement wrap.
/// - `codebooks` `[M, 2^B, 1, g]` and `scales` `[out, 1, 1, 1]` in the model's dtype (`QuantizedLinear`'s factory
///   dtype: fp16 usually; aqlm's CPU kernel for 2^8 entries wants fp32).
///
/// Row o's group j is `scales[o] · Σ_m codebooks[m, codes[o, j, m]]`, as aqlm's `_dequantize_weight`.
public enum AQLMLayout {
    /// Bits per codebook that aqlm stores (its int16 codes).
    public static let maxBits = 16

    /// The codes as stored, in aqlm's integer dtype.
    public enum StoredCodes: Equatable, Sendable {
        case int8([Int8])
        case int16([Int16])
    }

    /// One layer's tensors, row-major; codebooks and scales are F32 here, stored in the checkpoint's dtype.
    public struct Tensors: Equatable, Sendable {
        public var codes: StoredCodes
        public var codebooks: [Float]
        public var scales: [Float]
        public let rows: Int
        public let cols: Int
        public let codebookCount: Int
        public let bits: Int
        public let groupSize: Int

        public init(codes: StoredCodes, codebooks: [Float], scales: [Float], rows: Int, cols: Int, codebookCount: Int, bits: Int, groupSize: Int) {
            (self.codes, self.codebooks, self.scales) = (codes, codebooks, scales)
            (self.rows, self.cols, self.codebookCount, self.bits, self.groupSize) = (rows, cols, codebookCount, bits, groupSize)
        }

        public var codesShape: [Int] { [rows, cols / groupSize, codebookCount] }
        public var codebooksShape: [Int] { [codebookCount, 1 << bits, 1, groupSize] }
        public var scalesShape: [Int] { [rows, 1, 1, 1] }
    }

    /// Codes below 2^bits as aqlm stores them.
    public static func storedCodes(_ codes: [UInt16], bits: Int) throws(PackingError) -> StoredCodes {
        guard (1...maxBits).contains(bits) else { throw .unsupportedBits(format: "AQLM", bits: bits, supported: Array(1...maxBits)) }
        let size = 1 << bits
        if let i = codes.firstIndex(where: { Int($0) >= size }) {
            throw .outOfRange(tensor: "codes", index: i, value: Double(codes[i]), range: 0...size - 1)
        }
        let half = size >> 1
        let signed = codes.lazy.map { Int($0) >= half ? Int($0) - size : Int($0) }
        return bits <= 8 ? .int8(signed.map { Int8($0) }) : .int16(signed.map { Int16($0) })
    }

    /// Stored codes read back as aqlm does: modulo 2^bits.
    public static func codes(_ stored: StoredCodes, bits: Int) -> [UInt16] {
        let mask = (1 << bits) - 1
        return switch stored {
        case let .int8(v): v.map { UInt16(Int($0) & mask) }
        case let .int16(v): v.map { UInt16(Int($0) & mask) }
        }
    }

    /// The layer's tensors.
    public static func tensors(_ layer: AdditiveCodebooks<Float>) throws(PackingError) -> Tensors {
        Tensors(codes: try storedCodes(layer.codes, bits: layer.bits), codebooks: layer.codebooks, scales: layer.scales,
                rows: layer.rows, cols: layer.cols, codebookCount: layer.codebookCount, bits: layer.bits, groupSize: layer.groupSize)
    }

    /// The layer `t` stores.
    public static func layer(_ t: Tensors) throws(PackingError) -> AdditiveCodebooks<Float> {
        guard (1...maxBits).contains(t.bits) else { throw .unsupportedBits(format: "AQLM", bits: t.bits, supported: Array(1...maxBits)) }
        guard t.groupSize > 0, t.cols % t.groupSize == 0 else { throw .sizeMismatch(tensor: "codes", expected: t.cols / max(t.groupSize, 1) * t.groupSize, got: t.cols) }
        let codes = codes(t.codes, bits: t.bits)
        try PackingCheck.count("codes", codes.count, t.codesShape.reduce(1, *))
        try PackingCheck.count("codebooks", t.codebooks.count, t.codebooksShape.reduce(1, *))
        try PackingCheck.count("scales", t.scales.count, t.rows)
        return AdditiveCodebooks(rows: t.rows, cols: t.cols, codebookCount: t.codebookCount, bits: t.bits, groupSize: t.groupSize,
                                 codes: codes, codebooks: t.codebooks, scales: t.scales)
    }
}
