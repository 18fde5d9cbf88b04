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
        let layout = MainLayout(size: buffer.size, blocks: run.info?.blocks ?? 0)
        drawHeader(layout.header, on: &buffer)
        drawProgress(layout.progress, on: &buffer)
        drawTable(layout.table, on: &buffer)
        ConvergencePanel(row: selectedRow, archive: state.archive, view: state.chart, marker: state.marker, palette: palette).draw(in: layout.chart, on: &buffer)
        drawHeatmap(layout.heatmap, on: &buffer)
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
        if let b = run.meanBitsPerWeight { facts.append(Text.fixed(b, 2) + " bits/w") }
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
        if let op = state.pending { return op.kind == .solving ? "solving" : "comparing" }
        if let s = run.status {
            let cancelled = run.layers.filter { if case .cancelled = $0.phase { return true } else { return false } }.count
            return s.rawValue + (s == .completed && cancelled > 0 ? ", \(cancelled) cancelled" : "")
        }
        return run.info == nil ? "starting" : "running"
    }

    private func drawTable(_ rect: Rect, on buffer: inout CellBuffer) {
        let done = run.layers.filter { $0.phase == .done }.count
        let scoped = state.scope == .layer ? [] : Set(state.scope.rows(of: run, cursor: state.selected))
        let title = state.scope == .layer ? "Layers" : "Layers" + dot + "solve: " + state.scope.label + " (\(scoped.count))"
        let inner = Box(title: title, trailing: "\(done)/\(run.layers.count) done").draw(in: rect, on: &buffer, palette: palette)
        // Narrow tables drop the time column and name layers by block and short kind (`3.fc1`), as the heatmap does.
        // The codebook column (`cb`) shows only when a layer has codebooks.
        let codebooks = run.layers.contains { $0.sweeps.last?.codebooks.isEmpty == false }
        // The state column widens only while a row reads `cancel k/n`.
        let stateWidth = run.layers.reduce(7) { w, row in
            if case let .cancelled(k, n) = row.phase { return max(w, CharWidth.of(Self.cancelledText(k, n))) }
            return w
        }
        let short = inner.width - 2 - (codebooks ? 45 : 39) - (stateWidth - 7) < 18
        let columns = [TableColumn("layer", width: 0), TableColumn("rel_err", width: 8, rightAligned: true),
                       TableColumn("outl", width: 6, rightAligned: true), TableColumn("cb", width: 5, rightAligned: true),
                       TableColumn("bits", width: 5, rightAligned: true), TableColumn("time", width: 6, rightAligned: true),
                       TableColumn("state", width: stateWidth)]
        let dropped = (codebooks ? [] : [3]) + (short ? [5] : [])
        func kept<T>(_ items: [T]) -> [T] { items.enumerated().filter { !dropped.contains($0.offset) }.map(\.element) }
        let rows = run.layers.enumerated().map { i, row -> TableRow in
            // The numbers are the result's when the layer is done; a solve under way or cut short shows its own.
            let s = row.phase == .done ? row.summary : nil
            let last = row.sweeps.last
            let live = row.phase != .done
            let err = live ? last?.relativeError : s?.relErr
            let outliers = live ? last?.outliers : s?.outliers
            let stateText: String
            let stateKey: ThemeKey
            switch row.phase {
            case .pending: (stateText, stateKey) = ("pending", .inactiveFg)
            case .solving:
                stateText = last.map { "\($0.step)/\($0.totalSteps)" } ?? "solving"
                stateKey = .runningFg
            case .done: (stateText, stateKey) = ("done", .doneFg)
            case let .cancelled(k, n): (stateText, stateKey) = (Self.cancelledText(k, n), .failedFg)
            case .failed: (stateText, stateKey) = ("failed", .failedFg)
            }
            var name = short ? "\(row.info.block)." + LayerNames.abbreviate(row.info.kind) : row.info.name
            // Layers in a wider solve scope carry a mark.
            if state.scope != .layer { name = (scoped.contains(i) ? (palette.glyphs.unicode ? "• " : "* ") : "  ") + name }
            // While a solve runs, the bits column shows the nominal bits of the method being solved.
            let solvingBits: String? = row.phase == .solving ? row.method.map { String($0.nominalBits) } : nil
            let bits: String = s.map { Text.fixed($0.bitsPerWeight, 2) } ?? solvingBits ?? ""
            let cells = [name, err.map(Text.scientific) ?? "", outliers.map { String($0) } ?? "", Self.codebookUtilization(last), bits,
                         s.map { Text.duration($0.seconds) } ?? (last.map { Text.duration($0.elapsed) } ?? ""), stateText]
            let styles = [palette.main, palette.style(.hiFg), palette.style(.outlierFg), palette.style(.graphText), palette.main,
                          palette.style(.graphText), palette.style(stateKey)]
            return TableRow(cells: kept(cells), styles: kept(styles))
        }
        let shown = Table(columns: kept(columns), rows: rows, selected: run.layers.isEmpty ? nil : state.selected, offset: state.scroll)
            .draw(in: inner, on: &buffer, palette: palette)
        if shown.count < rows.count, !shown.isEmpty {
            let mark = " \(shown.lowerBound + 1)-\(shown.upperBound) of \(rows.count) "
            buffer.put(mark, at: Point(x: rect.maxX - 2 - CharWidth.of(mark), y: rect.maxY - 1), style: palette.style(.graphText))
        }
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

    private func drawHeatmap(_ rect: Rect, on buffer: inout CellBuffer) {
        if state.heatmapView == .layer { return drawLayerMap(rect, on: &buffer) }
        let inner = Box(title: "Error heatmap" + dot + "blocks " + palette.glyphs.times + " layers").draw(in: rect, on: &buffer, palette: palette)
        var kinds: [String] = []
        for l in run.layers where !kinds.contains(l.info.kind) { kinds.append(l.info.kind) }
        let blocks = run.info?.blocks ?? ((run.layers.map(\.info.block).max() ?? -1) + 1)
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: kinds.count), count: blocks)
        var highlight: (Int, Int)? = nil
        for (i, l) in run.layers.enumerated() {
            guard let k = kinds.firstIndex(of: l.info.kind), l.info.block >= 0, l.info.block < blocks else { continue }
            values[l.info.block][k] = l.summary?.relErr
            if i == state.selected { highlight = (l.info.block, k) }
        }
        Heatmap(rowLabels: (0..<blocks).map(String.init), columnLabels: kinds.map(LayerNames.abbreviate), values: values,
                highlight: highlight).draw(in: inner, on: &buffer, palette: palette)
    }

    /// The selected layer's weighted-error map, or why there is none.
    private func drawLayerMap(_ rect: Rect, on buffer: inout CellBuffer) {
        let name = selectedRow?.info.name ?? "no layer"
        let inner = Box(title: "Weighted error" + dot + name + dot + "out " + palette.glyphs.times + " in").draw(in: rect, on: &buffer, palette: palette)
        if let map = selectedRow?.summary?.errorMap {
            ErrorMapView(map: map).draw(in: inner, on: &buffer, palette: palette)
        } else {
            let why = selectedRow?.summary == nil ? "the layer is not solved yet" : "no map for this layer (its Σ was too large for the exact objective, or it was kept from an earlier run)"
            buffer.put(why, at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
        }
    }

    private func drawStatus(_ rect: Rect, on buffer: inout CellBuffer) {
        var context: [String] = []
        if state.pending != nil || state.message != nil {
            context = [state.pending?.text(ellipsis: palette.glyphs.ellipsis), state.message].compactMap { $0 }
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
        let hints = state.keymap.bindings(on: .main).compactMap { b -> (key: String, label: String)? in
            guard let h = b.hint, let k = b.keys.first else { return nil }
            let key = b.action == .bitsUp ? "+/-" : b.action == .outliersUp ? "[ ]" : k.label(g)
            return (key, h)
        }
        StatusBar(context: context, hints: hints, separator: dot).draw(in: rect, on: &buffer, palette: palette)
    }
}
