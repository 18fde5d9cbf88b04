import TUIKit
import Engine

/// Which layers ⏎ (solve) and c (compare) act on: the layer under the cursor, a block, the layers whose
/// names match a glob, or all of them. Chosen in the layer-scope overlay (`/`).
public enum LayerScope: Sendable, Equatable {
    case layer
    case block(Int)
    case pattern(String)
    case all

    /// The rows of `run` in the scope; `cursor` is the selected row.
    public func rows(of run: RunState, cursor: Int) -> [Int] {
        switch self {
        case .layer: return run.layers.indices.contains(cursor) ? [cursor] : []
        case let .block(b): return run.layers.indices.filter { run.layers[$0].info.block == b }
        case let .pattern(p): return run.layers.indices.filter { run.layers[$0].info.matches(pattern: p) }
        case .all: return Array(run.layers.indices)
        }
    }

    /// A few words for titles and messages: `block 2`, `*.query`, `all layers`.
    public var label: String {
        switch self {
        case .layer: return "the selected layer"
        case let .block(b): return "block \(b)"
        case let .pattern(p): return p
        case .all: return "all layers"
        }
    }
}

/// What the error heatmap panel shows.
public enum HeatmapView: Sendable, Equatable {
    /// rel_err of every layer, blocks × layer kinds.
    case blocks
    /// The selected layer's weighted error, output rows × input-channel groups.
    case layer
}
