/// Where a layer is. The layer table, the header and every report show this, and nothing else.
public enum LayerPhase: Sendable, Equatable, Codable {
    case pending
    case solving
    case done
    /// The user cancelled the layer's latest solve after `step` of `of` solver reports.
    case cancelled(after: Int, of: Int)
    case failed(String)

    /// The layer's last solve or its save failed: whatever result it shows is not the run's.
    public var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }

    /// A short word or phrase: `pending`, `solving`, `done`, `cancelled after 10 of 30`, `failed: …`.
    public var description: String {
        switch self {
        case .pending: return "pending"
        case .solving: return "solving"
        case .done: return "done"
        case let .cancelled(k, n): return "cancelled after \(k) of \(n)"
        case let .failed(reason): return "failed: \(reason)"
        }
    }

    /// The first word of `description` (a CSV column, a CSS class).
    public var name: String {
        switch self {
        case .pending: return "pending"
        case .solving: return "solving"
        case .done: return "done"
        case .cancelled: return "cancelled"
        case .failed: return "failed"
        }
    }
}
