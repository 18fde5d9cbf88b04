import TUIKit
import QuantCore

/// A row of the method panel: the method, one schema setting, or the method `c` compares with; its
/// label and value, and how ←/→ change it.
public enum MethodField: Sendable, Equatable {
    case kind
    /// The schema setting with this key.
    case setting(String)
    case compareWith

    /// The rows for a draft: the method, every setting that applies to it (in schema order), compare-with.
    public static func fields(for draft: MethodDraft) -> [MethodField] {
        [.kind] + draft.applicableSettings.map { .setting($0.key) } + [.compareWith]
    }

    public var label: String {
        switch self {
        case .kind: return "method"
        case let .setting(key): return MethodSchema.setting(key)?.label ?? key
        case .compareWith: return "compare with (c)"
        }
    }

    public func value(_ d: MethodDraft) -> String {
        switch self {
        case .kind: return d.kind.rawValue
        case let .setting(key): return MethodSchema.setting(key)?.display(d[key]) ?? d[key].text
        case .compareWith: return d.compareWith.rawValue
        }
    }

    /// Moves the value one step (`delta` is +1 or −1).
    /// Steps the field and returns what changed, for the status line.
    @discardableResult
    public func adjust(_ d: inout MethodDraft, by delta: Int) -> String {
        switch self {
        case .kind:
            d.kind = delta > 0 ? d.kind.next : d.kind.previous
            return "method \(d.kind.rawValue)"
        case let .setting(key): return d.step(key, by: delta)
        case .compareWith:
            d.compareWith = delta > 0 ? d.compareWith.next : d.compareWith.previous
            return "compare with \(d.compareWith.rawValue)"
        }
    }
}
