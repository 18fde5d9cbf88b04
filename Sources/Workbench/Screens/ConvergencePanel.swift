import TUIKit
import Engine

/// The convergence chart of the selected layer: rel_err per on-grid sweep of the current solve, earlier solves
/// of the layer as fainter curves, and comparison results as labelled dashed levels.
struct ConvergencePanel {
    var row: RunState.LayerRow?
    var archive: CurveArchive
    var marker: ChartMarker
    var palette: Palette

    /// What the chart of a layer without a sweep says, by the layer's phase.
    private func emptyText(_ row: RunState.LayerRow) -> String {
        switch row.phase {
        case .pending: "not solved yet: block \(row.info.block) is solved once the pipeline has calibrated it"
        case .solving: "solving: waiting for the first sweep"
        case .done: "solved in one step: no sweeps to plot"
        case .cancelled: "cancelled before its first sweep"
        case let .failed(reason): "failed: \(reason)"
        }
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        guard let row else {
            let inner = Box(title: "Convergence").draw(in: rect, on: &buffer, palette: palette)
            buffer.put("no layers yet", at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
            return
        }
        let last = row.sweeps.last
        let steps = last?.totalSteps ?? 0
        let dot = " " + palette.glyphs.dot + " "
        let inner = Box(title: "Convergence" + dot + row.info.name).draw(in: rect, on: &buffer, palette: palette)
        guard inner.height >= 4 else { return }
        var series: [ChartSeries] = []
        for c in archive.curves[row.info.name] ?? [] {
            series.append(ChartSeries(label: c.method, values: c.relErr, color: .inactiveFg))
        }
        for c in row.comparisons {
            series.append(ChartSeries(label: c.method.headline + " " + Text.scientific(c.relErr), values: [c.relErr], kind: .reference,
                                      color: .compareFg))
        }
        // Relaxed (off-grid) sweeps are not deployable; the curve follows the on-grid iterates.
        series.append(ChartSeries(label: row.method?.summary ?? "", values: row.sweeps.map { $0.onGrid ? $0.relativeError : .nan }, color: .hiFg))
        var facts: [String] = []
        switch row.phase {
        case .cancelled, .failed: facts.append(row.phase.description)
        default: if let last { facts.append("step \(last.step)/\(last.totalSteps)") }
        }
        // A solve under way or cut short shows its own numbers, not the result it would replace.
        let current = row.phase == .done ? row.summary : nil
        if let e = current?.relErr ?? last?.relativeError { facts.append("rel_err " + Text.scientific(e)) }
        facts.append((row.method ?? row.summary?.method)?.summary ?? "")
        let legend = facts.joined(separator: dot)
        buffer.put(Text.truncate(legend, to: inner.width - 1, ellipsis: palette.glyphs.ellipsis), at: Point(x: inner.x + 1, y: inner.y),
                   style: palette.style(.hiFg))
        let chartSteps = max(steps, archive.curves[row.info.name]?.map(\.relErr.count).max() ?? 0)
        LineChart(series: series, steps: chartSteps, marker: marker, xLabel: "sweeps", emptyText: emptyText(row))
            .draw(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1), on: &buffer, palette: palette)
    }
}
