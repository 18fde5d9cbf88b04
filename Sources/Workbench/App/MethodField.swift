import TUIKit
import QuantCore

/// A row of the method panel: the method, one schema setting, or one of the methods `c` compares with
/// (its solver, then its bits and group size); its label and value, and how ←/→ change it.
public enum MethodField: Sendable, Equatable {
    case kind
    /// The schema setting with this key.
    case setting(String)
    /// The solver of comparison `i`.
    case comparison(Int)
    /// A setting (schema key) of comparison `i`.
    case comparisonSetting(Int, String)
    /// The list of comparisons is empty.
    case noComparison

    /// The rows for a draft: the method, every setting that applies to it (in schema order), then each comparison.
    public static func fields(for draft: MethodDraft) -> [MethodField] {
        let compared = draft.comparisons.enumerated().flatMap { i, c in
            [MethodField.comparison(i)] + c.keys(following: draft).map { .comparisonSetting(i, $0) }
        }
        return [.kind] + draft.applicableSettings.map { .setting($0.key) } + (compared.isEmpty ? [.noComparison] : compared)
    }

    public var label: String {
        switch self {
        case .kind: return "method"
        case let .setting(key): return MethodSchema.setting(key)?.label ?? key
        case let .comparison(i): return i == 0 ? "compare with (c)" : "and with"
        case let .comparisonSetting(_, key): return "  " + (MethodSchema.setting(key)?.label ?? key)
        case .noComparison: return "compare with (c)"
        }
    }

    public func value(_ d: MethodDraft) -> String {
        switch self {
        case .kind: return d.kind.rawValue
        case let .setting(key): return MethodSchema.setting(key)?.display(d[key]) ?? d[key].text
        case let .comparison(i): return d.comparisons.indices.contains(i) ? d.comparisons[i].kind.rawValue : ""
        case let .comparisonSetting(i, key):
            guard d.comparisons.indices.contains(i), let setting = MethodSchema.setting(key) else { return "" }
            let c = d.comparisons[i]
            return setting.display(c.draft(following: d)[key]) + (c.overrides[key] == nil ? " (as the method)" : "")
        case .noComparison: return "none (a adds one)"
        }
    }

    /// Whether the row belongs to comparison `i` (the rows `Backspace` removes it from).
    var comparisonIndex: Int? {
        switch self {
        case let .comparison(i), let .comparisonSetting(i, _): return i
        default: return nil
        }
    }

    /// Steps the field (`delta` is +1 or −1) and returns what changed, for the status line.
    @discardableResult
    public func adjust(_ d: inout MethodDraft, by delta: Int) -> String {
        switch self {
        case .kind:
            d.kind = delta > 0 ? d.kind.next : d.kind.previous
            return "method \(d.kind.rawValue)"
        case let .setting(key): return d.step(key, by: delta)
        case let .comparison(i):
            guard d.comparisons.indices.contains(i) else { return "" }
            let k = d.comparisons[i].kind
            d.comparisons[i].kind = delta > 0 ? k.next : k.previous
            return "compare with \(d.comparisons[i].kind.rawValue)"
        case let .comparisonSetting(i, key):
            guard d.comparisons.indices.contains(i) else { return "" }
            var draft = d.comparisons[i].draft(following: d)
            let message = draft.step(key, by: delta)
            d.comparisons[i].overrides[key] = draft[key]
            return "compared \(d.comparisons[i].kind.rawValue): " + message
        case .noComparison: return d.addComparison()
        }
    }
}
