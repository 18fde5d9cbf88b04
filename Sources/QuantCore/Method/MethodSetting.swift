/// One setting of one or more methods: every fact recipes, flags, layer files, the workbench panel and
/// the method label need, written once.
///
/// ```swift
/// MethodSetting("sweeps", label: "sweeps", help: "Coordinate-descent sweeps.", type: .int(1...10_000),
///               default: .int(30), steps: .by(5), appliesTo: .always(.quantease, .quanteaseOutlier))
/// ```
public struct MethodSetting: Sendable, Equatable {
    /// The recipe and layer-metadata key, e.g. `group_size`.
    public var key: String
    /// The command-line flag, e.g. `--group-size`.
    public var flag: String
    /// The method panel's row label.
    public var label: String
    /// One line for `--help`.
    public var help: String
    public var type: SettingType
    public var defaultValue: SettingValue
    public var steps: SettingSteps
    public var applicability: SettingApplicability
    /// How the panel shows some values (`-1` as `row`); the rest show as `SettingValue.text`.
    public var displayNames: [SettingValue: String]
    /// The panel shows a number with this many decimals (nil: as written).
    public var decimals: Int?
    /// The panel shows a fraction as a percentage.
    public var percent: Bool

    public init(_ key: String, flag: String? = nil, label: String, help: String, type: SettingType, default value: SettingValue,
                steps: SettingSteps = .cycle, appliesTo applicability: SettingApplicability,
                displayNames: [SettingValue: String] = [:], decimals: Int? = nil, percent: Bool = false) {
        self.key = key
        self.flag = flag ?? "--" + key.replacingOccurrences(of: "_", with: "-")
        self.label = label
        self.help = help
        self.type = type
        self.defaultValue = value
        self.steps = steps
        self.applicability = applicability
        self.displayNames = displayNames
        self.decimals = decimals
        self.percent = percent
    }

    /// Whether the setting applies to `method` when the other settings are `values`.
    public func applies(to method: MethodName, values: [String: SettingValue]) -> Bool {
        applicability.applies(to: method, values: values)
    }

    /// The value as the panel shows it: `row`, `yes`, `1.00%`, `0.010`, `always round`.
    public func display(_ value: SettingValue) -> String {
        if let name = displayNames[value] { return name }
        switch value {
        case let .bool(b): return b ? "yes" : "no"
        case let .double(d):
            let shown = percent ? d * 100 : d
            let text = decimals.map { fixed(shown, $0) } ?? "\(shown)"
            return text + (percent ? "%" : "")
        default: return value.text
        }
    }

    /// The value one ←/→ step away.
    public func step(_ value: SettingValue, by delta: Int) -> SettingValue { steps.step(value, by: delta, type: type) }

    /// The next value of the step list, wrapping (what a cycling key does).
    public func cycled(_ value: SettingValue) -> SettingValue { steps.wrapped(value) }

    /// The setting in the method label, when it differs from the default: `static groups`, `damping 0.05`.
    public func labelPart(_ value: SettingValue) -> String {
        let words = key.replacingOccurrences(of: "_", with: " ")
        if case let .bool(b) = value { return b ? words : "no " + words }
        return words + " " + value.text
    }

    private func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (x * scale).rounded() / scale
        var s = "\(r)"
        if s.contains("e") { return s }
        if !s.contains(".") { s += "." }
        let fraction = s.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if fraction.count < digits { s += String(repeating: "0", count: digits - fraction.count) }
        return digits == 0 ? String(s.dropLast()) : s
    }
}
