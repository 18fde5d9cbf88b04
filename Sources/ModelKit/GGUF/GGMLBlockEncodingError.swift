/// Why weights could not be encoded as GGML blocks; the message names the type and the fault.
public enum GGMLBlockEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A type `GGMLBlockEncoding` does not encode.
    case unsupportedType(GGMLType)
    /// The column count is not a positive multiple of the 32-weight block, or the row count is negative.
    case invalidShape(type: GGMLType, rows: Int, columns: Int)
    /// An input has the wrong number of entries (`what` is `codes`, `d` or `m`).
    case countMismatch(type: GGMLType, what: String, expected: Int, actual: Int)
    /// A code above the type's largest, `2^bits − 1`.
    case codeOutOfRange(type: GGMLType, row: Int, column: Int, code: UInt8, largest: Int)
    /// A block's `d` or `m` is not finite, or is too large for fp16.
    case parameterNotRepresentable(type: GGMLType, what: String, row: Int, block: Int, value: Float)

    public var description: String {
        switch self {
        case let .unsupportedType(type):
            "\(type.name) blocks cannot be encoded (" + GGMLBlockEncoding.types.map(\.name).joined(separator: ", ") + " can)"
        case let .invalidShape(type, rows, columns):
            "\(type.name): a \(rows)×\(columns) weight does not split into rows of whole \(GGMLBlockEncoding.blockSize)-weight blocks "
                + "(the column count must be a positive multiple of \(GGMLBlockEncoding.blockSize))"
        case let .countMismatch(type, what, expected, actual):
            "\(type.name): \(actual) values of \(what) given, \(expected) expected"
                + (what == "m" && expected == 0 ? " (\(type.name) blocks store no min)" : "")
        case let .codeOutOfRange(type, row, column, code, largest):
            "\(type.name): the code \(code) at row \(row), column \(column) is above the largest code \(largest)"
        case let .parameterNotRepresentable(type, what, row, block, value):
            "\(type.name): \(what) = \(value) of row \(row), block \(block) is not a finite fp16 value"
        }
    }
}
