/// Which methods a setting applies to, some only when another setting has a given value
/// (`damping` applies to gptq, and to quantease only with `init: gptq`).
public struct SettingApplicability: Sendable, Equatable {
    /// A setting that must have a value for this one to apply.
    public struct Condition: Sendable, Equatable {
        public var key: String
        public var value: SettingValue
    }

    /// Per method: empty means always; otherwise any one of the conditions must hold.
    public var methods: [MethodName: [Condition]]

    /// Applies to every one of `methods`.
    public static func always(_ methods: MethodName...) -> SettingApplicability {
        SettingApplicability(methods: Dictionary(uniqueKeysWithValues: methods.map { ($0, []) }))
    }

    /// Also applies to `method` when any of `conditions` (key, value) holds.
    public func and(_ method: MethodName, when conditions: (key: String, value: SettingValue)...) -> SettingApplicability {
        var copy = self
        copy.methods[method] = conditions.map { Condition(key: $0.key, value: $0.value) }
        return copy
    }

    /// Whether the setting applies to `method` with the other settings at `values`.
    public func applies(to method: MethodName, values: [String: SettingValue]) -> Bool {
        guard let conditions = methods[method] else { return false }
        return conditions.isEmpty || conditions.contains { values[$0.key] == $0.value }
    }

    /// The methods it applies to (possibly only under a condition), in the usual order.
    public var methodNames: [MethodName] { MethodName.allCases.filter { methods[$0] != nil } }
}
