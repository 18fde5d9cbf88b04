import TUIKit
import Engine

/// The layer table: one row per linear with its rel_err, outliers, codebook use, bits, time and state;
/// the selected row carries the pointer, rows in a wider solve scope a mark.
struct LayerTablePanel {
    var state: AppState
    var run: RunState

    var palette: Palette { state.palette }
    var dot: String { " " + palette.glyphs.dot + " " }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        let done = run.layers.filter { $0.phase == .done }.count
        let scoped = state.scope == .layer ? [] : Set(state.scope.rows(of: run, cursor: state.selected))
        let title = state.scope == .layer ? "Layers" : "Layers" + dot + "solve: " + state.scope.label + " (\(scoped.count))"
        let inner = Box(title: title, trailing: "\(done)/\(run.layers.count) done").draw(in: rect, on: &buffer, palette: palette)
        // Narrow tables drop the time column and name layers by block and short kind (`3.fc1`), as the heatmap does.
        // The codebook column (`cb`) shows only when a layer has codebooks.
        let codebooks = run.layers.contains { $0.sweeps.last?.codebooks.isEmpty == false }
        // The state column widens only while a row reads `cancel k/n`.
        let stateWidth = run.layers.reduce(7) { w, row in
            if case let .cancelled(k, n) = row.phase { return max(w, CharWidth.of(MainScreen.cancelledText(k, n))) }
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
            case let .cancelled(k, n): (stateText, stateKey) = (MainScreen.cancelledText(k, n), .failedFg)
            case .failed: (stateText, stateKey) = ("failed", .failedFg)
            }
            var name = short ? "\(row.info.block)." + LayerNames.abbreviate(row.info.kind) : row.info.name
            // Layers in a wider solve scope carry a mark.
            if state.scope != .layer { name = (scoped.contains(i) ? (palette.glyphs.unicode ? "• " : "* ") : "  ") + name }
            // While a solve runs, the bits column shows the nominal bits of the method being solved.
            let solvingBits: String? = row.phase == .solving ? row.method.map { String($0.nominalBits) } : nil
            let bits: String = s.map { Text.fixed($0.bitsPerWeight, 2) } ?? solvingBits ?? ""
            let cells = [name, err.map(Text.scientific) ?? "", outliers.map { String($0) } ?? "", MainScreen.codebookUtilization(last), bits,
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
}
