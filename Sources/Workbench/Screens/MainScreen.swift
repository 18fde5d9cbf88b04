import TUIKit
import Engine
import QuantCore

/// The main screen (DESIGN §5): header, progress, layer table, convergence chart, error heatmap,
/// outliers panel and status bar.
struct MainScreen {
    var state: AppState
    var run: RunState

    var palette: Palette { state.palette }
    /// The fact separator of the glyph set, with spaces.
    var dot: String { " " + palette.glyphs.dot + " " }

    var selectedRow: RunState.LayerRow? {
        run.layers.indices.contains(state.selected) ? run.layers[state.selected] : nil
    }

    func draw(on buffer: inout CellBuffer) {
        let layout = MainLayout(size: buffer.size, state: state, run: run)
        drawHeader(layout.header, on: &buffer)
        drawProgress(layout.progress, on: &buffer)
        LayerTablePanel(state: state, run: run).draw(in: layout.table, on: &buffer)
        if run.tuning.activeBlock != nil {
            TuningPanel(tuning: run.tuning, marker: state.marker, palette: palette).draw(in: layout.chart, on: &buffer)
        } else {
            ConvergencePanel(row: selectedRow, archive: state.archive, view: state.chart, marker: state.marker,
                             tuned: selectedRow.flatMap { run.tuning.finished[$0.info.block] }, palette: palette).draw(in: layout.chart, on: &buffer)
        }
        HeatmapPanel(state: state, run: run).draw(in: layout.heatmap, on: &buffer)
        OutlierPanel(run: run, selected: selectedRow, palette: palette).draw(in: layout.side, on: &buffer)
        drawStatus(layout.status, on: &buffer)
    }

    private func drawHeader(_ rect: Rect, on buffer: inout CellBuffer) {
        buffer.fill(rect, with: .blank(palette.status))
        var left = " quantbench"
        if let info = run.info {
            let params = info.layers.reduce(0) { $0 + $1.rows * $1.cols }
            left += [info.model, info.architecture, "\(info.blocks) blocks", "\(info.layers.count) linears", Text.count(params) + " params"]
                .map { dot + $0 }.joined()
        } else {
            left += dot + "starting" + palette.glyphs.ellipsis
        }
        var right = state.method.headerFacts(rows: selectedRow?.info.rows, cols: selectedRow?.info.cols)
        if let r = state.recipeName { right.append(r) }
        let rightText = right.joined(separator: dot) + " "
        let rw = CharWidth.of(rightText)
        buffer.put(left, at: Point(x: rect.x, y: rect.y), style: palette.status.with(.bold), maxWidth: rect.width - rw - 1)
        if rect.width > rw + 20 { buffer.put(rightText, at: Point(x: rect.maxX - rw, y: rect.y), style: palette.status) }
    }

    /// The gauge: model loading before the run, a block's calibration passes while they run, otherwise
    /// the layers done.
    private func drawProgress(_ rect: Rect, on buffer: inout CellBuffer) {
        let total = run.layers.count
        let done = run.layers.filter { $0.phase == .done }.count
        var facts = [solverState, "layers \(done)/\(total)"]
        var fraction = total > 0 ? Double(done) / Double(total) : 0
        if let l = state.loading, run.info == nil {
            facts.insert("loading \(l.done + 1)/\(l.total): " + l.step + palette.glyphs.ellipsis, at: 1)
            fraction = Double(l.done) / Double(max(1, l.total))
        } else if let c = run.calibration, c.done < c.total, run.activeLayer == nil, run.status == nil {
            facts.insert("calibrating \(c.label): \(c.done)/\(c.total)", at: 1)
            fraction = Double(c.done) / Double(max(1, c.total))
        }
        if let stats = run.relErrStats { facts.append("median rel_err " + Text.scientific(stats.median) + dot + "worst " + Text.scientific(stats.worst)) }
        if let b = run.meanBitsPerWeight {
            facts.append(Text.fixed(b, 2) + " bits/w" + (run.allocation.map { " (budget " + AllocationView.budgetText($0.budget) + ")" } ?? ""))
        }
        Gauge(fraction: fraction, label: facts.joined(separator: dot), barWidth: Self.gaugeWidth(rect.width))
            .draw(in: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: 1), on: &buffer, palette: palette)
    }

    /// The gauge's bar for a screen `width` wide: a fifth of it, 10 to 24 cells, the same in every phase
    /// (loading, calibrating, solving, done), so the text after it stays put; a long label is cut instead.
    static func gaugeWidth(_ width: Int) -> Int { max(10, min(24, width / 5)) }

    /// paused, pausing (asked, not yet at a sweep boundary), solving, comparing, how the run ended (with
    /// the layers whose latest solve was cancelled), running, starting.
    var solverState: String {
        if run.paused { return "paused" }
        if state.pauseRequested && (run.status == nil || state.pending != nil) { return "pausing" }
        if run.activeLayer != nil { return "solving" }
        if let op = state.pending { return op.kind == .comparing ? "comparing" : "solving" }
        if let s = run.status {
            let cancelled = run.layers.filter { if case .cancelled = $0.phase { return true } else { return false } }.count
            return s.rawValue + (s == .completed && cancelled > 0 ? ", \(cancelled) cancelled" : "")
        }
        return run.info == nil ? "starting" : "running"
    }

    /// A cancelled layer's state cell: `cancel 18/400`.
    static func cancelledText(_ step: Int, _ total: Int) -> String { "cancel \(step)/\(total)" }

    /// The `cb` column: the share of codebook entries in use (mean over codebooks) after the latest epoch;
    /// empty for methods without codebooks.
    static func codebookUtilization(_ progress: SolverProgress?) -> String {
        guard let books = progress?.codebooks, !books.isEmpty else { return "" }
        let used = books.reduce(0.0) { $0 + Double($1.counts.count - $1.deadCodes) / Double($1.counts.count) } / Double(books.count)
        return "\(Int((used * 100).rounded(.down)))%"
    }

    private func drawStatus(_ rect: Rect, on buffer: inout CellBuffer) {
        var context: [String] = []
        let exporting = state.export.statusText(ellipsis: palette.glyphs.ellipsis)
        if state.pending != nil || state.message != nil || exporting != nil {
            context = [state.pending?.text(ellipsis: palette.glyphs.ellipsis), exporting, state.message].compactMap { $0 }
        } else {
            if let row = selectedRow { context.append(row.info.name) }
            // The method as it would run (AQLM has no single bit width: its scheme and bits per weight say it).
            context.append((try? state.method.build().headline) ?? state.method.summary)
            if let row = selectedRow, let b = state.method.effectiveBits(rows: row.info.rows, cols: row.info.cols) {
                context.append(Text.fixed(b, 2) + " bits/w")
            }
            context.append(solverState)
            context.append(run.info?.model ?? "quantbench")
        }
        let g = palette.glyphs
        var hints = state.keymap.bindings(on: .main).compactMap { b -> (key: String, label: String)? in
            guard let h = b.hint, let k = b.keys.first, b.action != .focus || state.focus == .table,
                  b.action != .allocation || run.allocation != nil else { return nil }
            let key = b.action == .bitsUp ? "+/-" : b.action == .outliersUp ? "[ ]" : k.label(g)
            return (key, h)
        }
        // With the heatmap focused its own keys come first: the cursor's arrows and the way back to the table.
        if state.focus == .heatmap {
            let keys = { (actions: [Action]) in
                actions.compactMap { a in state.keymap.bindings(on: .main).first { $0.action == a }?.keys.first?.label(g) }
                    .joined(separator: g.unicode ? "" : "/")
            }
            hints.insert(contentsOf: [(keys([.up, .down, .cellLeft, .cellRight]), "cell"), (keys([.focus]), "table")], at: 0)
        }
        StatusBar(context: context, hints: hints, separator: dot).draw(in: rect, on: &buffer, palette: palette)
    }
}
