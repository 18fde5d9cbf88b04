/// Why a layer's codes cannot be packed into a checkpoint format's tensors (or packed tensors read back), with
/// what to do instead where there is something.
public enum PackingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The format does not pack this bit width.
    case unsupportedBits(format: String, bits: Int, supported: [Int])
    /// `count` values of `bits` bits along `dimension` do not fill whole 32-bit words as the format needs.
    case notWholeWords(format: String, dimension: String, count: Int, bits: Int)
    /// A tensor has `got` elements where its shape needs `expected`.
    case sizeMismatch(tensor: String, expected: Int, got: Int)
    /// A value at flat `index` of `tensor` is outside what the format stores (or not an integer).
    case outOfRange(tensor: String, index: Int, value: Double, range: ClosedRange<Int>)
    /// `gptq` (v1) stores zero − 1, so a zero point of 0 cannot be stored.
    case zeroOfZeroInVersion1(group: Int, column: Int)
    /// A symmetric scheme stores no zero points: every zero must be 2^(bits−1).
    case asymmetricZero(group: Int, row: Int, zero: Double, expected: Int)
    /// Column `column` is not in the group of contiguous columns the format assumes (activation order).
    case groupsNotContiguous(column: Int, group: Int, expected: Int)

    public var description: String {
        switch self {
        case let .unsupportedBits(format, bits, supported):
            "\(format) packs \(supported.map(String.init).joined(separator: ", ")) bits, not \(bits)"
        case let .notWholeWords(format, dimension, count, bits):
            "\(format): \(count) \(dimension) at \(bits) bits do not fill whole 32-bit words"
        case let .sizeMismatch(tensor, expected, got):
            "\(tensor) has \(got) values where its shape needs \(expected)"
        case let .outOfRange(tensor, index, value, range):
            "\(tensor)[\(index)] = \(value) is not an integer in \(range.lowerBound)…\(range.upperBound)"
        case let .zeroOfZeroInVersion1(group, column):
            "a zero point of 0 (group \(group), column \(column)) cannot be stored as gptq (v1), which stores zero − 1: use gptq_v2"
        case let .asymmetricZero(group, row, zero, expected):
            "a symmetric scheme has every zero point at \(expected), but group \(group) of row \(row) has \(zero): write it asymmetric"
        case let .groupsNotContiguous(column, group, expected):
            "column \(column) is in group \(group), not \(expected): the format takes contiguous groups only (no activation order)"
        }
    }
}

/// Checks shared by the packers.
enum PackingCheck {
    static func count(_ tensor: String, _ got: Int, _ expected: Int) throws(PackingError) {
        guard got == expected else { throw .sizeMismatch(tensor: tensor, expected: expected, got: got) }
    }

    /// `values` as integers in `range`; throws for the first that is not one.
    static func integers(_ tensor: String, _ values: [Float], in range: ClosedRange<Int>) throws(PackingError) -> [Int] {
        var out = [Int](); out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard v.isFinite, v == v.rounded(), Double(v) >= Double(range.lowerBound), Double(v) <= Double(range.upperBound) else {
                throw .outOfRange(tensor: tensor, index: i, value: Double(v), range: range)
            }
            out.append(Int(v))
        }
        return out
    }

    static func codes(_ codes: [UInt8], bits: Int) throws(PackingError) {
        let maxCode = (1 << bits) - 1
        if let i = codes.firstIndex(where: { Int($0) > maxCode }) {
            throw .outOfRange(tensor: "codes", index: i, value: Double(codes[i]), range: 0...maxCode)
        }
    }
}
