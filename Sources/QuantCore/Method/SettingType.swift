/// What values a setting takes: the type and its range, which every front end checks the same way.
public enum SettingType: Sendable, Equatable {
    case int(ClosedRange<Int>)
    case double(ClosedRange<Double>)
    case bool
    /// One of the listed names.
    case choice([String])
    /// A number in the range, or `none`.
    case optionalDouble(ClosedRange<Double>)

    /// Reads a value from its text form (recipe scalar, flag argument, layer-file metadata).
    public func parse(_ text: String) throws(SettingFault) -> SettingValue {
        switch self {
        case .int:
            guard let v = Int(text) else { throw .wrongType(text: text, expected: "a whole number") }
            return try checked(.int(v))
        case .double:
            guard let v = Double(text), v.isFinite else { throw .wrongType(text: text, expected: "a number") }
            return try checked(.double(v))
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: throw .wrongType(text: text, expected: "true or false")
            }
        case .choice:
            return try checked(.choice(text))
        case .optionalDouble:
            if ["none", "null", "~"].contains(text.lowercased()) { return .none }
            guard let v = Double(text), v.isFinite else { throw .wrongType(text: text, expected: "a number or none") }
            return try checked(.double(v))
        }
    }

    /// The value if it has this type and lies in the range; an int is taken where a number is expected.
    public func checked(_ value: SettingValue) throws(SettingFault) -> SettingValue {
        switch (self, value) {
        case let (.int(r), .int(v)):
            guard r.contains(v) else { throw .outOfRange(text: value.text, range: rangeText) }
            return value
        case let (.double(r), .double(v)), let (.optionalDouble(r), .double(v)):
            guard v.isFinite, r.contains(v) else { throw .outOfRange(text: value.text, range: rangeText) }
            return value
        case let (.double, .int(v)), let (.optionalDouble, .int(v)):
            return try checked(.double(Double(v)))
        case (.bool, .bool), (.optionalDouble, .none):
            return value
        case let (.choice(names), .choice(c)):
            guard names.contains(c) else { throw .wrongType(text: c, expected: Self.orList(names)) }
            return value
        default:
            throw .wrongType(text: value.text, expected: expected)
        }
    }

    /// What the type accepts, for help text and errors: `2…8`, `true or false`, `relaxed or always-round`.
    public var expected: String {
        switch self {
        case .int, .double: return rangeText
        case .bool: return "true or false"
        case let .choice(names): return Self.orList(names)
        case .optionalDouble: return rangeText + " or none"
        }
    }

    /// The placeholder a flag's help shows: `<int>`, `<number>`, `<choice>`.
    var placeholder: String {
        switch self {
        case .int: return "<int>"
        case .double, .optionalDouble: return "<number>"
        case .bool: return ""
        case .choice: return "<" + expected.replacingOccurrences(of: " or ", with: "|").replacingOccurrences(of: ", ", with: "|") + ">"
        }
    }

    private var rangeText: String {
        switch self {
        case let .int(r):
            return r.upperBound == Int.max ? "≥ \(r.lowerBound)" : "\(r.lowerBound)…\(r.upperBound)"
        case let .double(r), let .optionalDouble(r):
            return "\(Self.short(r.lowerBound))…\(Self.short(r.upperBound))"
        case .bool, .choice: return expected
        }
    }

    private static func short(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? "\(Int(d))" : "\(d)" }

    static func orList(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}

/// Why a value does not fit its setting.
public enum SettingFault: Error, Equatable, CustomStringConvertible {
    case wrongType(text: String, expected: String)
    case outOfRange(text: String, range: String)

    public var description: String {
        switch self {
        case let .wrongType(text, expected): return "'\(text)' is not \(expected)"
        case let .outOfRange(text, range): return "\(text) is outside \(range)"
        }
    }
}
