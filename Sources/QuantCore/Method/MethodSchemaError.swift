/// Why a method name and values do not make a `LayerMethod`, naming the setting at fault so each front
/// end can say it in its own words (a recipe key and line, a flag).
public struct MethodSchemaError: Error, Equatable, CustomStringConvertible {
    /// The fault itself.
    public enum Fault: Equatable, Sendable {
        case unknownMethod(String)
        case unknownSetting
        /// The setting does not apply to the method (or only when one of `conditions` holds).
        case notApplicable(method: MethodName, conditions: [SettingApplicability.Condition])
        case badValue(SettingFault)
        /// The solver's options rejected the value (`expected` says what it takes).
        case invalid(value: String, expected: String)
        /// The solver rejected the combination (no single setting to blame).
        case unsupported(String)
    }

    /// The setting's key, or nil when the fault is the method (unknown name, unsupported combination).
    public var key: String?
    public var fault: Fault

    public init(key: String?, _ fault: Fault) {
        self.key = key
        self.fault = fault
    }

    /// The fault in recipe words: `'damping' does not apply to quantease without init: gptq`.
    public var description: String { message(name: { "'\($0)'" }, condition: { "\($0.key): \($0.value.text)" }, method: { $0.rawValue }) }

    /// The fault in command-line words: `--damping does not apply to --method quantease without --init gptq`.
    public var flagMessage: String {
        message(name: { MethodSchema.setting($0)?.flag ?? $0 },
                condition: { c in
                    let flag = MethodSchema.setting(c.key)?.flag ?? c.key
                    return c.value == .bool(true) ? flag : "\(flag) \(c.value.text)"
                },
                method: { "--method \($0.rawValue)" })
    }

    /// The fault with the setting named by `name`, a condition by `condition` and the method by `method`.
    public func message(name: (String) -> String, condition: (SettingApplicability.Condition) -> String,
                        method: (MethodName) -> String) -> String {
        let subject = key.map(name) ?? "the method"
        switch fault {
        case let .unknownMethod(n): return "unknown method '\(n)': expected \(MethodName.list)"
        case .unknownSetting: return "\(subject) is not a setting of any method"
        case let .notApplicable(m, conditions):
            let unless = conditions.isEmpty ? "" : " without " + SettingType.orList(conditions.map(condition))
            return "\(subject) does not apply to \(method(m))\(unless)"
        case let .badValue(f): return "\(subject): \(f)"
        case let .invalid(value, expected): return "\(subject) = \(value) is invalid: expected \(expected)"
        case let .unsupported(why): return why
        }
    }
}
