import TUIKit
import QuantCore

/// The method being edited in the workbench: the method name and a value for every setting of the
/// method schema (of every method, so switching method keeps what applies), held as plain values so a
/// half-edited combination never traps; `build()` validates it into a `LayerMethod`.
/// `MethodDraft(method).build() == method` for every method the schema builds.
public struct MethodDraft: Sendable, Equatable {
    /// Which solver.
    public typealias Kind = MethodName

    public var kind: Kind = .quantease
    /// Every schema setting's value; the ones that apply to `kind` make the method.
    public var values: [String: SettingValue] = MethodSchema.defaults
    /// The methods `c` compares with, each at its own settings.
    public var comparisons: [ComparisonDraft] = [ComparisonDraft(kind: .gptq)]

    public init() {}

    /// The draft of an existing method (a recipe's), with the other methods' settings at defaults.
    public init(_ method: LayerMethod) {
        kind = method.methodName
        values.merge(MethodSchema.values(of: method)) { $1 }
        comparisons = [ComparisonDraft(kind: kind == .gptq || kind == .quanteaseOutlier ? .quantease : .gptq)]
    }

    /// The draft of a recipe's method; `c` compares with the recipe's comparison methods (when it has some).
    public init(_ method: LayerMethod, comparedWith compare: [LayerMethod]) {
        self.init(method)
        if !compare.isEmpty { comparisons = compare.map(ComparisonDraft.init) }
    }

    /// A setting's value (its default if unset).
    public subscript(key: String) -> SettingValue {
        get { values[key] ?? MethodSchema.setting(key)?.defaultValue ?? .none }
        set { values[key] = newValue }
    }

    /// The settings that apply to the current method and values, in panel order.
    public var applicableSettings: [MethodSetting] { MethodSchema.applicable(to: kind, values: values) }

    /// The validated method, or the schema's error naming the bad setting.
    public func build() throws -> LayerMethod {
        let keys = Set(applicableSettings.map(\.key))
        return try MethodSchema.method(kind, values: values.filter { keys.contains($0.key) })
    }

    /// The same draft with another solver and everything else kept (a comparison's starting point).
    public func with(kind: Kind) -> MethodDraft {
        var d = self
        d.kind = kind
        return d
    }

    /// The grid's bit width (shown in the header and status line).
    public var bits: Int {
        get { if case let .int(b) = self["bits"] { return b } else { return 0 } }
        set { self["bits"] = .int(newValue) }
    }

    /// Columns per grid group, -1 for one grid per row.
    public var groupSize: Int {
        get { if case let .int(g) = self["group_size"] { return g } else { return -1 } }
        set { self["group_size"] = .int(newValue) }
    }

    /// The outlier budget of quantease-outlier.
    public var outlierFraction: Double {
        get { if case let .double(f) = self["outlier_fraction"] { return f } else { return 0 } }
        set { self["outlier_fraction"] = .double(newValue) }
    }

    /// Storage bits per weight of a `rows × cols` layer: codes, grid scales and zeros, and 32 bits per
    /// full-precision outlier (value and index), as the engine's `bitsPerWeight` counts them; for AQLM the
    /// codes, fp16 codebooks and row scales. Nil when the settings are invalid or do not fit the layer.
    public func effectiveBits(rows: Int, cols: Int) -> Double? {
        guard rows > 0, cols > 0, let method = try? build() else { return nil }
        if case let .aqlm(o) = method, (try? o.check(columns: cols)) == nil { return nil }
        var b = method.effectiveBits(rows: rows, columns: cols)
        if case let .outlierQuantEase(o) = method {
            let weights = o.structure == .unstructured ? o.budget(rows: rows, cols: cols) : o.budget(rows: rows, cols: cols) * rows
            b += Double(weights) * 32 / Double(rows * cols)
        }
        return b
    }

    /// A short label: the method summary, or the fault when the settings are invalid.
    public var summary: String {
        do { return try build().summary } catch { return "invalid: \(error)" }
    }

    // MARK: the main screen's keys

    /// Moves `key` one ←/→ step and says what changed: `sweeps 30 → 35`, `bits 8 (the most)`, or why the
    /// setting does not apply to this method.
    @discardableResult
    mutating func step(_ key: String, by delta: Int) -> String {
        guard let setting = MethodSchema.setting(key) else { return "" }
        if let hint = notApplicableHint(key) { return hint }
        let old = self[key], new = setting.step(old, by: delta)
        self[key] = new
        guard new == old else { return "\(setting.label) \(setting.display(old)) → \(setting.display(new))" }
        return "\(setting.label) \(setting.display(new)) (the \(delta > 0 ? "most" : "least"))"
    }

    /// `+`/`−`: the grid's bit width (AQLM has none: the hint names the panel rows that set its bits).
    mutating func stepBits(_ d: Int) -> String { step("bits", by: d) }
    mutating func stepSweeps(_ d: Int) -> String { step("sweeps", by: d) }
    mutating func stepOutliers(_ d: Int) -> String { step("outlier_fraction", by: d) }
    /// `g`: the next group size, or why the setting does not apply.
    mutating func cycleGroupSize() -> String {
        guard let setting = MethodSchema.setting("group_size") else { return "" }
        if let hint = notApplicableHint("group_size") { return hint }
        let old = self["group_size"]
        self["group_size"] = setting.cycled(old)
        return "\(setting.label) \(setting.display(old)) → \(setting.display(self["group_size"]))"
    }

    /// The settings of the method panel that stand in for a main-screen key the method does not have
    /// (AQLM's bits per weight come from its codebooks, not from a grid's bit width).
    static let panelEquivalents: [MethodName: [String: [String]]] = [
        .aqlm: ["bits": ["num_codebooks", "nbits_per_codebook", "in_group_size"], "group_size": ["in_group_size"]],
    ]

    /// Nil when `key` applies to the current method, else why not and what to use instead, e.g.
    /// `sweeps: not for gptq (only quantease, quantease-outlier); m opens the method panel`.
    func notApplicableHint(_ key: String) -> String? {
        guard let setting = MethodSchema.setting(key), !setting.applies(to: kind, values: values) else { return nil }
        let owners = setting.applicability.methodNames.map(\.rawValue).joined(separator: ", ")
        let why = "\(setting.label): not for \(kind.rawValue) (only \(owners))"
        guard let instead = Self.panelEquivalents[kind]?[key]?.compactMap({ MethodSchema.setting($0)?.label }), !instead.isEmpty else {
            return why + "; m opens the method panel"
        }
        return why + "; set " + instead.joined(separator: ", ") + " in the method panel (m)"
    }
}
