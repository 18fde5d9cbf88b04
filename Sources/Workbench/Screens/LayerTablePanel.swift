import TUIKit
import Engine

/// The layer table: one row per linear with its rel_err, outliers, codebook use, bits, the bit allocation's
/// choice (runs with one), time and state; the selected row carries the pointer, rows in a wider solve scope a mark.
struct LayerTablePanel {
    var state: AppState
    var run: RunState

    var palette: Palette { state.palette }
    var dot: String { " " + palette.glyphs.dot + " " }

    /// The codebook column (`cb`) shows only when a layer has codebooks.
    var codebooks: Bool { run.layers.contains { $0.sweeps.last?.codebooks.isEmpty == false } }

    /// The state column widens only while a row reads `cancel k/n`.
    var stateWidth: Int {
        run.layers.reduce(7) { w, row in
            if case let .cancelled(k, n) = row.phase { return max(w, CharWidth.of(MainScreen.cancelledText(k, n))) }
            return w
        }
    }

    /// The allocation's candidates as the plan column writes them.
    var planLabels: [String] { run.allocation.map { AllocationView.shortLabels($0.candidates) } ?? [] }

    /// The plan column is as wide as its longest label, up to 12 cells.
    var planWidth: Int { min(12, max(4, planLabels.map(CharWidth.of).max() ?? 0)) }

    var allColumns: [TableColumn] {
        [TableColumn("layer", width: 0), TableColumn("rel_err", width: 8, rightAligned: true),
         TableColumn("outl", width: 6, rightAligned: true), TableColumn("cb", width: 5, rightAligned: true),
         TableColumn("bits", width: 5, rightAligned: true), TableColumn("plan", width: planWidth),
         TableColumn("time", width: 6, rightAligned: true), TableColumn("state", width: stateWidth)]
    }

    /// The columns left out: `cb` without codebooks, `plan` without a bit allocation, `time` when short.
    func dropped(short: Bool) -> [Int] { (codebooks ? [] : [3]) + (run.allocation == nil ? [5] : []) + (short ? [6] : []) }

    func columns(short: Bool) -> [TableColumn] {
        let d = dropped(short: short)
        return allColumns.enumerated().filter { !d.contains($0.offset) }.map(\.element)
    }

    /// The box width that shows every column with the longest layer name whole (and the scope marks).
    var neededWidth: Int {
        let name = run.layers.map { CharWidth.of($0.info.name) }.max() ?? 0
        return 2 + Table.width(of: columns(short: false), flexible: max(5, name + (state.scope == .layer ? 0 : 2)))
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        let done = run.layers.filter { $0.phase == .done }.count
        let scoped = state.scope == .layer ? [] : Set(state.scope.rows(of: run, cursor: state.selected))
        let shownRows = state.tableRows(run)
        var title = state.scope == .layer ? "Layers" : "Layers" + dot + "solve: " + state.scope.label + " (\(scoped.count))"
        if let order = state.table.label(palette.glyphs) { title += dot + order }
        let filter = state.shownFilter
        if !filter.isEmpty { title += dot + "filter: " + filter + " (\(shownRows.count) of \(run.layers.count))" }
        let inner = Box(title: title, trailing: "\(done)/\(run.layers.count) done").draw(in: rect, on: &buffer, palette: palette)
        // Narrow tables drop the time column and name layers by block and short kind (`3.fc1`), as the heatmap does.
        let short = inner.width - 2 - Table.width(of: columns(short: false), flexible: 0) < 18
        let dropped = dropped(short: short)
        func kept<T>(_ items: [T]) -> [T] { items.enumerated().filter { !dropped.contains($0.offset) }.map(\.element) }
        let layers = Array(run.layers)
        let labels = planLabels
        let choices = Dictionary(uniqueKeysWithValues: (run.allocation?.layers ?? []).map { ($0.name, $0.choice) })
        let offPlan = Set(AllocationView.offPlan(run.allocation, run).map(\.row))
        let rows = shownRows.map { i -> TableRow in
            let row = layers[i]
            // The numbers are the result's when the layer is done; a solve under way or cut short shows its own.
            let s = row.phase == .done ? row.summary : nil
            let last = row.sweeps.last
            let err = row.shownRelErr
            let outliers = row.phase != .done ? last?.outliers : s?.outliers
            let stateText: String
            let stateKey: ThemeKey
            switch row.phase {
            case .pending: (stateText, stateKey) = ("pending", .inactiveFg)
            case .solving:
                stateText = last.map { "\($0.step)/\($0.totalSteps)" } ?? "solving"
                stateKey = .runningFg
            case .done: (stateText, stateKey) = ("done", .doneFg)
            case let .cancelled(k, n): (stateText, stateKey) = (MainScreen.cancelledText(k, n), .failedFg)
            case .failed: (stateText, stateKey) = ("failed", .failedFg)
            }
            var name = short ? "\(row.info.block)." + LayerNames.abbreviate(row.info.kind) : row.info.name
            // Layers in a wider solve scope carry a mark.
            if state.scope != .layer { name = (scoped.contains(i) ? (palette.glyphs.unicode ? "• " : "* ") : "  ") + name }
            // While a solve runs, the bits column shows the nominal bits of the method being solved.
            let solvingBits: String? = row.phase == .solving ? row.method.map { String($0.nominalBits) } : nil
            let bits: String = s.map { Text.fixed($0.bitsPerWeight, 2) } ?? solvingBits ?? ""
            // The plan's choice; a layer solved with another method (before a new budget, or by hand) is marked.
            let choice = choices[row.info.name]
            let cells = [name, err.map(Text.scientific) ?? "", outliers.map { String($0) } ?? "", MainScreen.codebookUtilization(last), bits,
                         choice.map { labels[$0] } ?? "", row.shownSeconds.map(Text.duration) ?? "", stateText]
            let styles = [palette.main, palette.style(.hiFg), palette.style(.outlierFg), palette.style(.graphText), palette.main,
                          palette.style(offPlan.contains(i) ? .warningFg : .graphText), palette.style(.graphText), palette.style(stateKey)]
            return TableRow(cells: kept(cells), styles: kept(styles))
        }
        let all = allColumns
        let sorted = state.table.order.column.flatMap { c in kept(all).firstIndex { $0.title == c } }
        let empty = run.layers.isEmpty ? "" : "no layer matches " + filter + " (f to change it, Esc in the prompt clears it)"
        let shown = Table(columns: kept(all), rows: rows, selected: shownRows.firstIndex(of: state.selected), offset: state.scroll,
                          sort: sorted.map { ($0, state.table.descending) }, emptyText: empty)
            .draw(in: inner, on: &buffer, palette: palette)
        if shown.count < rows.count, !shown.isEmpty {
            let mark = " \(shown.lowerBound + 1)-\(shown.upperBound) of \(rows.count) "
            buffer.put(mark, at: Point(x: rect.maxX - 2 - CharWidth.of(mark), y: rect.maxY - 1), style: palette.style(.graphText))
        }
    }
}
