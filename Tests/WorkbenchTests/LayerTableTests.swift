import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The layer table's order and filter, the focus, and the heatmap cursor, through the reducer.
@Suite("Layer table and heatmap cursor") struct LayerTableTests {
    let run = Fixtures.run()

    func frame(_ state: AppState, run: RunState? = nil) -> CellBuffer { App.render(state, run: run ?? self.run, size: state.size) }
    func name(_ s: AppState) -> String { run.layers[s.selected].info.name }
    func typed(_ text: String) -> [Key] { text.map(Key.char) }

    @Test func vCyclesTheOrdersAndTheSelectionStaysOnItsLayer() {
        var (s, _) = press([.char("v")])
        #expect(s.table.order == .relErr && s.table.descending && name(s) == "1.attention.self.value")
        let byErr = s.tableRows(run).prefix(3).map { run.layers[$0].info.name }
        #expect(byErr == ["1.attention.self.key", "0.attention.self.value", "0.intermediate.dense"], "worst first")
        // Layers without a value go last, whichever the direction.
        #expect(run.layers[s.tableRows(run).last!].phase == .pending)
        (s, _) = press([.char("V")], s)
        #expect(!s.table.descending && run.layers[s.tableRows(run)[0]].info.name == "0.attention.self.query" && name(s) == "1.attention.self.value")
        #expect(run.layers[s.tableRows(run).last!].phase == .pending)
        (s, _) = press([.char("v")], s)
        #expect(s.table.order == .time && !s.table.reversed && s.message == "table by time ▼")
        (s, _) = press([.char("v"), .char("v")], s)
        #expect(s.table.order == .name && !s.table.descending)
        (s, _) = press([.char("v")], s)
        #expect(s.table.order == .run && s.tableRows(run) == Array(run.layers.indices) && s.message == "table in run order")
        #expect(press([.char("v"), .char("v"), .char("W")]).0.table == press([.char("v")]).0.table, "W: worst first from any order")
    }

    @Test func theArrowsAndClicksMoveInDisplayOrder() {
        var (s, _) = press([.char("W")])
        let rows = s.tableRows(run)
        let at = rows.firstIndex(of: s.selected)!
        (s, _) = press([.down], s)
        #expect(s.selected == rows[at + 1])
        (s, _) = press([.home], s)
        #expect(s.selected == rows[0] && name(s) == "1.attention.self.key")
        (s, _) = press([.end], s)
        #expect(s.selected == rows.last!)
        (s, _) = press([.home], s)
        let area = App.layout(s, run).tableRows
        (s, _) = App.reduce(s, .click(Point(x: area.x + 3, y: area.y + 2)), run: run)
        #expect(s.selected == rows[2] && name(s) == "0.intermediate.dense")
        (s, _) = App.reduce(s, .wheel(up: false, at: Point(x: 0, y: 0)), run: run)
        #expect(s.selected == rows[5])
    }

    @Test func aLiveRunReSortsButKeepsTheSelectedLayer() {
        var (s, _) = press([.char("W"), .char("k")])
        let chosen = name(s)
        var r = run
        // The layer being solved finishes with the worst rel_err of all: it moves to the top, the selection stays.
        let l = r.layers[8].info
        var result = Fixtures.summary(l, 8)
        result.relErr = 0.9
        r.apply(.layerFinished(result))
        #expect(r.layers[s.tableRows(r)[0]].info.name == l.name && r.layers[s.selected].info.name == chosen)
        (s, _) = press([.home], s, run: r)
        #expect(r.layers[s.selected].info.name == l.name)
        #expect(frame(s, run: r).lines[4].contains("▸ 1.attention.self.value"))
    }

    @Test func theFilterShowsMatchingLayersAndNavigatesAmongThem() {
        var (s, _) = press([.char("f")] + typed("*.query"))
        #expect(s.screen == .filter && s.tableRows(run).count == 6, "the table follows the glob as it is typed")
        #expect(frame(s).lines[39].hasPrefix(" filter: *.query_ · 6 of 36 layers") && frame(s).lines[39].hasSuffix("⏎ apply Bksp delete Esc clear "))
        (s, _) = press([.enter], s)
        #expect(s.screen == .main && s.table.filter == "*.query" && s.message == "filter *.query: 6 of 36 layers")
        #expect(name(s) == "0.attention.self.query", "the selected layer was filtered out: the first shown row")
        #expect(frame(s).lines[2].contains("Layers · filter: *.query (6 of 36)"))
        (s, _) = press([.down, .down], s)
        #expect(name(s) == "2.attention.self.query")
        (s, _) = press([.char("G")], s)
        #expect(name(s) == "5.attention.self.query")
        // The scope's globs: several, with commas.
        (s, _) = press([.char("f"), .backspace, .backspace, .backspace, .backspace, .backspace] + typed("key, *.value") + [.enter], s)
        #expect(s.table.filter == "*.key, *.value" && s.tableRows(run).count == 12)
        (s, _) = press([.char("f"), .escape], s)
        #expect(s.table.filter.isEmpty && s.screen == .main && s.tableRows(run).count == 36 && s.message == "filter cleared")
    }

    @Test func anEmptyFilterResultSaysSo() {
        let (s, _) = press([.char("f")] + typed("*.nothing") + [.enter])
        #expect(s.message == "no layer matches *.nothing" && s.tableRows(run).isEmpty)
        let text = frame(s).text
        #expect(text.contains("no layer matches *.nothing") && text.contains("(0 of 36)"))
        #expect(press([.down, .home], s).0.selected == s.selected)
    }

    @Test func sortedAndFilteredScreens() {
        var s = Fixtures.app()
        (s, _) = press([.char("W"), .char("f")] + typed("*.attention.*") + [.enter], s)
        assertSnapshot(frame(s).framedText, named: "table-worst-first-filtered-120x40")
        var ascii = Fixtures.app(Size(width: 80, height: 24), depth: .mono, glyphs: .ascii)
        (ascii, _) = press([.char("v"), .char("v"), .char("V")], ascii)
        assertSnapshot(frame(ascii).framedText, named: "table-by-time-80x24-ascii")
    }

    @Test func theTableIsAsWideAsItsNamesAndTheChartGetsTheRest() {
        let longest = run.layers.map { $0.info.name.count }.max()!
        // Border, pointer, the name, then rel_err 8 · outl 6 · bits 5 · time 6 · state 7 with a gap before each.
        let needed = 2 + 2 + longest + 37
        #expect(App.layout(Fixtures.app(Size(width: 80, height: 24)), run).table.width == 46, "80 columns keep the narrow table")
        for size in [Size(width: 120, height: 40), Size(width: 200, height: 60)] {
            let s = Fixtures.app(size)
            let layout = App.layout(s, run)
            #expect(layout.table.width == needed && layout.heatmap.width == needed && layout.chart.width == size.width - needed)
            #expect(frame(s).lines[12].contains("│▸ 1.attention.self.value     0.0091"), "the name column ends one column after the longest name")
        }
        // The selected layer's map (`w`) widens the left column to what its 64 channel groups need, up to the split.
        var map = Fixtures.app(Size(width: 200, height: 60))
        map.heatmapView = .layer
        #expect(App.layout(map, run).heatmap.width == 2 + 5 + 64)
        #expect(MainLayout(size: Size(width: 120, height: 40), blocks: 6, tableWidth: 300).table.width == 66)
    }

    @Test func tabFocusesTheHeatmapWhoseCursorSelectsLayers() {
        var (s, _) = press([.tab])
        #expect(s.focus == .heatmap)
        let before = name(s)
        #expect(before == "1.attention.self.value")
        (s, _) = press([.right], s)
        #expect(name(s) == "1.attention.output.dense")
        (s, _) = press([.up], s)
        #expect(name(s) == "0.attention.output.dense" && !s.followsActive)
        (s, _) = press([.up], s)
        #expect(name(s) == "0.attention.output.dense", "the top edge holds the cursor")
        (s, _) = press([.left, .left, .left, .left], s)
        #expect(name(s) == "0.attention.self.query")
        let text = frame(s).text
        #expect(text.contains("▸ Error heatmap · blocks × layers") && text.contains("0.attention.self.query · rel_err 0.0020"))
        #expect(frame(s).lines[39].contains("↑↓←→ cell Tab table"))
        (s, _) = press([.escape], s)
        #expect(s.focus == .table)
        (s, _) = press([.down], s)
        #expect(name(s) == "0.attention.self.key", "the table moves again")
        #expect(press([.tab, .tab]).0.focus == .table && press([.right]).0.message?.hasPrefix("Tab focuses the heatmap") == true)
    }

    @Test func clickingAHeatmapCellSelectsItsLayer() {
        let s = Fixtures.app()
        let inner = App.layout(s, run).heatmap.inset(1)
        // Block 0 is the first grid row; the label column is 3 wide and each kind 5: `v` is the third.
        let (t, _) = App.reduce(s, .click(Point(x: inner.x + 3 + 2 * 5 + 1, y: inner.y + 1)), run: run)
        #expect(name(t) == "0.attention.self.value" && t.focus == .heatmap)
        let (u, _) = App.reduce(t, .click(Point(x: inner.x + 1, y: inner.y + 1)), run: run)
        #expect(u.selected == t.selected, "the label column is no cell")
        let area = App.layout(u, run).tableRows
        #expect(App.reduce(u, .click(Point(x: area.x + 2, y: area.y)), run: run).0.focus == .table)
    }

    @Test func theLayerMapCursorReadsOutItsCell() {
        var s = Fixtures.app()
        s.selected = 4
        (s, _) = press([.char("w"), .tab, .down, .down, .right], s)
        #expect(s.mapCursor == MapCell(row: 2, column: 1))
        let text = frame(s).text
        // 0.intermediate.dense: 1536 rows pooled into 6 bins of 256; its 64 groups of 6 channels into 59 cells (the first takes two).
        #expect(text.contains("rows 512–767 · in 12–17 · 0.38% of rel_err"))
        (s, _) = press(Array(repeating: .right, count: 100) + Array(repeating: .down, count: 100), s)
        let grid = HeatmapPanel(state: s, run: run).mapGrid(in: App.layout(s, run).heatmap)!
        #expect(s.mapCursor == MapCell(row: grid.shown.rows - 1, column: grid.shown.columns - 1))
        #expect(frame(s).text.contains("rows 1280–1535 · in "))
        let origin = grid.origin
        let (t, _) = App.reduce(s, .click(Point(x: origin.x + 3, y: origin.y)), run: run)
        #expect(t.mapCursor == MapCell(row: 0, column: 3) && t.selected == s.selected)
        assertSnapshot(frame(t).framedText, named: "layer-map-cursor-120x40")
        var ascii = Fixtures.app(Size(width: 80, height: 24), depth: .mono, glyphs: .ascii)
        ascii.selected = 4
        (ascii, _) = press([.tab, .char("w"), .right], ascii)
        assertSnapshot(frame(ascii).framedText, named: "layer-map-cursor-80x24-ascii")
    }
}
