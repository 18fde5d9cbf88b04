/// The type tag of a GGUF metadata value, as stored in the file.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// The spelling of the GGUF specification, e.g. `UINT32`.
    public var name: String { String(describing: self).uppercased() }
}

/// One GGUF metadata value: a scalar, a string, or an array of one element type.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    /// The element type and the elements (all of that type).
    case array(GGUFValueType, [GGUFValue])

    /// The value's type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// An integer of any width that fits `Int`; nil for other values.
    public var int: Int? {
        switch self {
        case let .uint8(v): Int(v)
        case let .int8(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        case let .int64(v): Int(v)
        default: nil
        }
    }

    /// A floating-point or integer value as `Double`; nil for other values.
    public var double: Double? {
        switch self {
        case let .float32(v): Double(v)
        case let .float64(v): v
        default: int.map(Double.init)
        }
    }

    /// The string; nil for other values.
    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The boolean; nil for other values.
    public var bool: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The elements of an array; nil for other values.
    public var array: [GGUFValue]? {
        if case let .array(_, elements) = self { return elements }
        return nil
    }

    /// An array of strings; nil unless every element is one.
    public var strings: [String]? {
        guard let array else { return nil }
        var out: [String] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let s = element.string else { return nil }
            out.append(s)
        }
        return out
    }

    /// An array of integers; nil unless every element is one.
    public var ints: [Int]? {
        guard let array else { return nil }
        var out: [Int] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let i = element.int else { return nil }
            out.append(i)
        }
        return out
    }

    /// A short rendering for listings: scalars in full, strings quoted and cut, arrays by type and length.
    public var summary: String {
        switch self {
        case let .string(s): s.count > 60 ? "\"\(s.prefix(57))…\"" : "\"\(s)\""
        case let .array(type, elements): "[\(type.name) × \(elements.count)]"
        case let .bool(b): "\(b)"
        case let .float32(v): "\(v)"
        case let .float64(v): "\(v)"
        default: int.map { "\($0)" } ?? "\(self)"
        }
    }
}
