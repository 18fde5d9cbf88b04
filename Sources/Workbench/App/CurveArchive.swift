import TUIKit
import Engine

/// Earlier convergence curves of each layer. `RunState` keeps only the sweeps of a layer's latest solve;
/// when a layer is solved again, its previous curve moves here so the chart can draw both.
public struct CurveArchive: Sendable, Equatable {
    /// An archived solve: the method summary and rel_err per sweep (NaN for relaxed, off-grid sweeps).
    public struct Curve: Sendable, Equatable {
        public var method: String
        public var relErr: [Double]
    }

    /// Curves per layer, oldest first, at most `limit` each.
    public private(set) var curves: [String: [Curve]] = [:]
    public let limit: Int

    public init(limit: Int = 3) { self.limit = limit }

    /// Looks at an event before `run` applies it; a layer starting again archives its last curve.
    public mutating func observe(_ event: EngineEvent, before run: RunState) {
        guard case let .layerStarted(name, _) = event,
              let row = run.rows[name], !row.sweeps.isEmpty else { return }
        let curve = Curve(method: (row.method ?? row.summary?.method)?.summary ?? "earlier solve", relErr: row.sweeps.map { $0.onGrid ? $0.relativeError : .nan })
        curves[name, default: []].append(curve)
        if curves[name, default: []].count > limit { curves[name, default: []].removeFirst() }
    }
}
