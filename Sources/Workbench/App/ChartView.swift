import TUIKit
import Engine

/// How the convergence chart shows the selected layer: the y fit (`z`) and the sweep under the cursor
/// (`<` `>`), which follows the latest sweep until the user moves it and again once moved past it.
public struct ChartView: Sendable, Equatable {
    public var fit: ChartFit = .focus
    /// The 1-based sweep under the cursor; nil follows the latest sweep.
    public var cursor: Int? = nil

    public init() {}

    /// The sweep the cursor is on for a chart with `sweeps` steps whose current solve is at `latest`.
    public func sweep(latest: Int, sweeps: Int) -> Int { min(max(1, cursor ?? latest), max(1, sweeps)) }

    /// Moves the cursor `delta` sweeps; reaching the latest sweep (or moving past the end) follows it again.
    mutating func move(by delta: Int, latest: Int, sweeps: Int) {
        guard sweeps > 0 else { return }
        let next = min(sweeps, max(1, sweep(latest: latest, sweeps: sweeps) + delta))
        cursor = next == latest ? nil : next
    }
}

extension App {
    /// `z`, `<` and `>` on the main screen.
    static func chart(_ action: Action, _ s: inout AppState, run: RunState) {
        if action == .chartFit {
            s.chart.fit = s.chart.fit.next
            s.message = "chart " + s.chart.fit.label + (s.chart.fit == .focus ? " (the results of interest)" : " (every value)")
            return
        }
        guard run.layers.indices.contains(s.selected) else { return }
        let row = run.layers[s.selected]
        let chart = ConvergencePanel.chart(row, archive: s.archive)
        let latest = ConvergencePanel.latestSweep(row, chart: chart)
        let sweeps = chart.series.filter { $0.kind != .reference }.map(\.values.count).max() ?? 0
        guard sweeps > 0 else {
            s.message = "no sweeps to move along on \(row.info.name)"
            return
        }
        s.chart.move(by: action == .cursorRight ? 1 : -1, latest: latest, sweeps: sweeps)
        if s.chart.cursor == nil { s.message = "cursor follows the latest sweep" }
    }
}
