import TUIKit
import Engine
import QuantCore

/// The convergence chart of the selected layer: rel_err per on-grid sweep of the current solve, earlier solves
/// of the layer as fainter curves, iterative comparisons as dashed curves and one-step ones (RTN, GPTQ) as
/// labelled dashed levels; the fit and the cursor come from the `ChartView`.
struct ConvergencePanel {
    var row: RunState.LayerRow?
    var archive: CurveArchive
    var view: ChartView
    var marker: ChartMarker
    /// The fine-tuning of the layer's block, once done.
    var tuned: BlockTuningSummary? = nil
    var palette: Palette

    /// Below this many inner rows the readout line shows only while the user holds the cursor.
    static let readoutRows = 12

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

    /// rel_err per report, NaN for relaxed (off-grid) sweeps: they are not deployable, so curves follow the on-grid iterates.
    static func onGrid(_ sweeps: [SolverProgress]) -> [Double] { sweeps.map { $0.onGrid ? $0.relativeError : .nan } }

    /// The layer's chart: earlier solves (context), each comparison method once (its latest result; a curve
    /// when the method iterates and reported sweeps, else a level), and the current solve on top.
    static func chart(_ row: RunState.LayerRow, archive: CurveArchive) -> LineChart {
        var series: [ChartSeries] = []
        for c in archive.curves[row.info.name] ?? [] {
            series.append(ChartSeries(label: c.method, values: c.relErr, color: .inactiveFg, focus: false))
        }
        // Each method once, in the order first compared; a comparison under way has a curve but no result yet.
        var methods: [LayerMethod] = []
        for m in row.comparisons.map(\.method) + row.comparisonCurves.map(\.method) where !methods.contains(m) { methods.append(m) }
        for method in methods {
            let label = method.headline
            if method.methodName.isIterative, let curve = row.comparisonCurve(of: method), !curve.sweeps.isEmpty {
                series.append(ChartSeries(label: label, values: onGrid(curve.sweeps), kind: .dashed, color: .compareFg))
            } else if let result = row.comparisons.last(where: { $0.method == method }) {
                series.append(ChartSeries(label: label, values: [result.relErr], kind: .reference, color: .compareFg))
            }
        }
        series.append(ChartSeries(label: (row.method ?? row.summary?.method)?.headline ?? "", values: onGrid(row.sweeps), color: .hiFg))
        let steps = max(row.sweeps.last?.totalSteps ?? 0, series.filter { $0.kind != .reference }.map(\.values.count).max() ?? 0)
        return LineChart(series: series, steps: steps, marker: .braille, xLabel: "sweeps", stepName: "sweep")
    }

    /// The sweep the cursor follows: the current solve's latest, else the longest curve's last.
    static func latestSweep(_ row: RunState.LayerRow, chart: LineChart) -> Int {
        row.sweeps.isEmpty ? chart.series.filter { $0.kind != .reference }.map(\.values.count).max() ?? 0 : row.sweeps.count
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        guard let row else {
            let inner = Box(title: "Convergence").draw(in: rect, on: &buffer, palette: palette)
            buffer.put("no layers yet", at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
            return
        }
        let last = row.sweeps.last
        let dot = " " + palette.glyphs.dot + " "
        // The fit mode sits in the frame, so the legend line keeps its width for the facts.
        let inner = Box(title: "Convergence" + dot + row.info.name, trailing: view.fit.label).draw(in: rect, on: &buffer, palette: palette)
        guard inner.height >= 4 else { return }
        var facts: [String] = []
        switch row.phase {
        case .cancelled, .failed: facts.append(row.phase.description)
        default: if let last { facts.append("step \(last.step)/\(last.totalSteps)") }
        }
        // A solve under way or cut short shows its own numbers, not the result it would replace.
        let current = row.phase == .done ? row.summary : nil
        if let e = current?.relErr ?? last?.relativeError { facts.append("rel_err " + Text.scientific(e)) }
        // The method by its headline: the sweeps are in the step fact, and a cut never leaves `30 s` for 30 sweeps.
        // The block's output error before and after fine-tuning takes the method's place (the chart's legend names the method).
        if let tuned {
            facts.append("tuned " + Text.scientific(tuned.before) + " → " + Text.scientific(tuned.after))
        } else {
            facts.append((row.method ?? row.summary?.method)?.headline ?? "")
        }
        buffer.put(Text.truncate(facts.joined(separator: dot), to: inner.width - 1, ellipsis: palette.glyphs.ellipsis),
                   at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.hiFg))
        var chart = Self.chart(row, archive: archive)
        chart.marker = marker
        chart.fit = view.fit
        chart.emptyText = emptyText(row)
        let sweeps = chart.series.filter { $0.kind != .reference }.map(\.values.count).max() ?? 0
        if sweeps > 0, view.cursor != nil || inner.height >= Self.readoutRows {
            chart.cursor = view.sweep(latest: Self.latestSweep(row, chart: chart), sweeps: sweeps)
        }
        chart.draw(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1), on: &buffer, palette: palette)
    }
}
