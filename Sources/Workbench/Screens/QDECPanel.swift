import TUIKit
import Engine
import QuantCore

/// The QDEC view (`r`): the sweep's settings, where the job is with it (a gauge with the ETA while it
/// runs), and its result as it comes: the model metric against k_chunk, one curve per selection method,
/// beside (wide terminals) or above a table of every point's numbers.
struct QDECPanel {
    var state: AppState
    var run: RunState

    /// Curve colours, one per selection method in settings order.
    static let colors: [ThemeKey] = [.hiFg, .compareFg, .outlierFg, .runningFg, .doneFg]
    /// The table's columns and the body width from which it stands beside the chart.
    static let tableWidth = 56
    static let sideBySideWidth = 140

    private var sweep: CompensationState? { state.qdec.sweep(run) }
    private var settings: CompensationSettings { sweep?.request.settings ?? state.qdec.settings }

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        let size = Size(width: min(150, buffer.size.width - 4), height: min(44, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "QDEC " + g.dot + " dynamic error compensation", on: &buffer, palette: palette)
        guard inner.height >= 8, inner.width >= 20 else { return }
        let x = inner.x + 1, width = inner.width - 2
        buffer.put(settingsLine(g), at: Point(x: x, y: inner.y), style: palette.style(.graphText), maxWidth: width)
        drawStatus(in: Rect(x: x, y: inner.y + 1, width: width, height: 1), on: &buffer, palette: palette)
        buffer.put("\(g.enter) run the sweep  x cancel  Esc close", at: Point(x: x, y: inner.maxY - 1), style: palette.style(.inactiveFg), maxWidth: width)
        let body = Rect(x: x, y: inner.y + 3, width: width, height: inner.height - 5)
        guard let sweep, !sweep.points.isEmpty else {
            for (i, line) in emptyText(g).enumerated() {
                let w = CharWidth.of(line)
                buffer.put(line, at: Point(x: body.x + max(0, (body.width - w) / 2), y: body.y + body.height / 2 - 1 + i),
                           style: palette.style(.inactiveFg), maxWidth: body.width)
            }
            return
        }
        let rows = settings.kChunks.count * settings.selections.count + 1
        if body.width >= Self.sideBySideWidth {
            let table = Rect(x: body.maxX - Self.tableWidth, y: body.y, width: Self.tableWidth, height: body.height)
            drawTable(sweep, in: table, on: &buffer, palette: palette)
            drawChart(sweep, in: Rect(x: body.x, y: body.y, width: body.width - Self.tableWidth - 2, height: body.height), on: &buffer, palette: palette)
        } else {
            let tableHeight = min(rows, body.height)
            drawTable(sweep, in: Rect(x: body.x, y: body.maxY - tableHeight, width: body.width, height: tableHeight), on: &buffer, palette: palette)
            drawChart(sweep, in: Rect(x: body.x, y: body.y, width: body.width, height: body.height - tableHeight - 1), on: &buffer, palette: palette)
        }
    }

    /// `k_chunk 0 4 8 16 32 64 · selection bucket · residual 4 bits · thresholds on 2048 tokens`.
    private func settingsLine(_ g: GlyphSet) -> String {
        let dot = " " + g.dot + " "
        return "k_chunk " + settings.kChunks.map(String.init).joined(separator: " ")
            + dot + "selection " + settings.selections.map(\.rawValue).joined(separator: ", ")
            + dot + "residual \(PackedResidual.bits) bits" + dot + "thresholds on \(settings.positions) tokens"
            + dot + "\(run.finished.count)/\(run.layers.count) layers quantized"
    }

    private func drawStatus(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs, dot = " " + g.dot + " "
        let view = state.qdec
        func line(_ text: String, _ key: ThemeKey) {
            buffer.put(text, at: Point(x: rect.x, y: rect.y), style: palette.style(key), maxWidth: rect.width)
        }
        guard let sweep else {
            if view.request == nil { return line(run.finished.isEmpty ? "no layer is quantized yet" : "\(g.enter) runs the sweep", .inactiveFg) }
            if view.cancelled { return line("cancelled before it began", .warningFg) }
            if run.paused { return line("waits for the paused solver (p on the main screen resumes it)", .warningFg) }
            return line("starts" + (run.activeLayer.map { " once \($0) is solved" } ?? "") + g.ellipsis, .runningFg)
        }
        let done = "\(sweep.done)/\(sweep.total) evaluations"
        switch sweep.status {
        case .running where view.cancelled && view.request == sweep.request:
            line("cancelling after the evaluation at work" + g.ellipsis, .warningFg)
        case .running:
            let eta = sweep.progress?.eta.map { dot + "ETA " + Text.duration($0) } ?? dot + "calibrating thresholds" + g.ellipsis
            let elapsed = sweep.progress.map { dot + Text.duration($0.elapsed) + " so far" } ?? ""
            Gauge(fraction: Double(sweep.done) / Double(max(1, sweep.total)), label: done + elapsed + eta, barWidth: min(24, rect.width / 4))
                .draw(in: rect, on: &buffer, palette: palette)
        case .finished:
            let about = sweep.sweep.map { dot + $0.metricName + " against " + $0.referenceLabel + " on \($0.samples) held-out "
                + ($0.kind == "embedding" ? "sentences" : "windows") } ?? ""
            line("done: " + done + (sweep.progress.map { " in " + Text.duration($0.elapsed) } ?? "") + about, .doneFg)
        case .cancelled: line("cancelled after " + done, .warningFg)
        case let .failed(message): line("cannot run QDEC: " + message, .failedFg)
        }
    }

    /// What the body says while there is nothing to plot.
    private func emptyText(_ g: GlyphSet) -> [String] {
        if case let .failed(message)? = sweep?.status { return ["QDEC cannot run on this run:", message] }
        if sweep?.status == .running || state.qdec.isActive(run) {
            return ["the first point comes once the thresholds are calibrated and budget \(settings.kChunks.first ?? 0) is evaluated"]
        }
        if run.finished.isEmpty { return ["No layer is quantized yet.", "The sweep compensates the layers the run has solved: \(g.enter) runs it once one is done."] }
        return ["\(g.enter) evaluates the model at every k_chunk with every selection method:",
                "\(CompensationPlan.evaluations(settings)) evaluations over the \(run.finished.count) layers quantized so far"]
    }

    private func metricName(_ sweep: CompensationState) -> String {
        sweep.points.first?.metricName ?? CompensationSweep.metricName(embedding: run.info?.causalLM != true)
    }

    private func drawChart(_ sweep: CompensationState, in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.height >= 4 else { return }
        buffer.put(metricName(sweep) + " against k_chunk (channels fetched per 1024)", at: Point(x: rect.x, y: rect.y),
                   style: palette.style(.title), maxWidth: rect.width)
        let series = settings.selections.enumerated().map { i, selection in
            ChartSeries(label: selection.rawValue, values: settings.kChunks.prefix { sweep.point(selection, kChunk: $0) != nil }
                .compactMap { sweep.point(selection, kChunk: $0)?.metric }, color: Self.colors[i % Self.colors.count])
        }
        LineChart(series: series, steps: settings.kChunks.count, marker: state.marker, xLabel: "k_chunk", stepName: "k_chunk",
                  stepLabels: settings.kChunks.map(String.init))
            .draw(in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), on: &buffer, palette: palette)
    }

    /// One row per point in the sweep's order; points to come are dotted, the one being evaluated marked.
    private func drawTable(_ sweep: CompensationState, in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        let widths = [11, 8, 11, 8, 8, 10]
        func row(_ cells: [String], y: Int, styles: [Style]) {
            var x = rect.x
            for (i, cell) in cells.enumerated() {
                let w = widths[i]
                buffer.put(Text.pad(cell, to: w - 1, right: i > 0, ellipsis: g.ellipsis), at: Point(x: x, y: y), style: styles[min(i, styles.count - 1)],
                           maxWidth: min(w, rect.maxX - x))
                x += w
            }
        }
        let head = palette.style(.title).with(.bold)
        row(["selection", "k_chunk", metricName(sweep), "bits/w", "recall", "out err"], y: rect.y, styles: [head])
        var y = rect.y + 1, waiting = sweep.status == .running
        for (i, selection) in settings.selections.enumerated() {
            let color = palette.style(Self.colors[i % Self.colors.count])
            for k in settings.kChunks where y < rect.maxY {
                defer { y += 1 }
                guard let p = sweep.point(selection, kChunk: k) else {
                    let text = waiting ? "running" + g.ellipsis : g.dot
                    row([selection.rawValue, String(k), text], y: y, styles: [color, palette.main, palette.style(waiting ? .runningFg : .inactiveFg)])
                    waiting = false
                    continue
                }
                let metric = p.meanCosine.map { Text.fixed($0, 4) } ?? p.perplexity.map { Text.fixed($0, 2) } ?? "-"
                row([selection.rawValue, String(k), metric, Text.fixed(p.virtualBits, 2), p.recall.map { Text.fixed($0, 2) } ?? "-",
                     Text.scientific(p.compensatedError)], y: y, styles: [color, palette.main])
            }
        }
    }
}
