/// One setting's value as the schema carries it between recipes, flags, layer files and the workbench.
public enum SettingValue: Sendable, Hashable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// One of a setting's named choices, e.g. `always-round`.
    case choice(String)
    /// No value, for an optional setting (AQLM's `relative_tolerance: none`).
    case none

    /// The text recipes, flags and layer-file metadata use; `SettingType.parse` reads it back to an equal value.
    public var text: String {
        switch self {
        case let .int(i): return "\(i)"
        case let .double(d): return "\(d)"
        case let .bool(b): return b ? "true" : "false"
        case let .choice(c): return c
        case .none: return "none"
        }
    }

    /// The value as a number, for stepping and comparisons (nil for a choice or none).
    var number: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        case let .bool(b): return b ? 1 : 0
        case .choice, .none: return nil
        }
    }
}
