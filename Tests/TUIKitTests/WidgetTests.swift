import Foundation
import Testing
@testable import TUIKit

@Suite("TUI widgets") struct TUIWidgetTests {
    let palette = Palette(theme: .defaultDark, depth: .palette256, glyphs: .unicode)
    let curve = (1...30).map { 0.01 * (1 + 4 / Double($0 * $0)) }

    func chart(_ marker: ChartMarker, glyphs: GlyphSet = .unicode, size: Size = Size(width: 40, height: 10)) -> CellBuffer {
        var b = CellBuffer(size: size)
        let p = Palette(theme: .defaultDark, depth: .palette256, glyphs: glyphs)
        LineChart(series: [ChartSeries(label: "GPTQ 3-bit", values: [0.018], kind: .reference, color: .compareFg),
                           ChartSeries(label: "QuantEase", values: curve, color: .hiFg)],
                  steps: 30, marker: marker, xLabel: "sweeps").draw(in: b.bounds, on: &b, palette: p)
        return b
    }

    @Test func brailleChartWithAReferenceLevel() { assertSnapshot(chart(.braille).framedText, named: "chart-braille") }
    @Test func blockChart() { assertSnapshot(chart(.block).framedText, named: "chart-block") }
    @Test func asciiChart() { assertSnapshot(chart(.braille, glyphs: .ascii).framedText, named: "chart-ascii") }

    @Test func stepLabelsNameTheXTicksInsteadOfTheStepNumbers() {
        func axis(_ labels: [String]?) -> String {
            var b = CellBuffer(size: Size(width: 40, height: 8))
            LineChart(series: [ChartSeries(label: "", values: [0.96, 0.97, 0.98, 0.985, 0.99], color: .hiFg)], steps: 5, marker: .braille,
                      xLabel: "", stepLabels: labels).draw(in: b.bounds, on: &b, palette: palette)
            return b.lines.last ?? ""
        }
        #expect(axis(nil).split(separator: " ") == ["1", "3", "5"])
        #expect(axis(["0", "4", "16", "32", "64"]).split(separator: " ") == ["0", "16", "64"])
    }

    @Test func fitAllSpansTheHalfDecadesOfEveryValue() {
        let c = LineChart(series: [ChartSeries(label: "", values: [0.5, 0.002, .nan, 0], color: .hiFg)], steps: 4, marker: .braille, xLabel: "", fit: .all)
        #expect(c.scale == ChartScale(lo: -3, hi: 0))
        let tight = LineChart(series: [ChartSeries(label: "", values: [0.045, 0.009], color: .hiFg)], steps: 2, marker: .braille, xLabel: "", fit: .all)
        #expect(tight.scale == ChartScale(lo: -2.5, hi: -1))
        #expect(ChartScale.halfDecadeLabel(-2) == "1e-2" && ChartScale.halfDecadeLabel(-1.5) == "3e-2")
        #expect(LineChart(series: [], steps: 0, marker: .braille, xLabel: "").scale == nil)
    }

    /// QuantEase 0.0165 and GPTQ 0.0181 (the pair), RTN at 0.06 and an earlier solve at 0.1.
    var comparison: [ChartSeries] {
        [ChartSeries(label: "earlier", values: [0.12, 0.1, 0.1], color: .inactiveFg, focus: false),
         ChartSeries(label: "RTN 3-bit", values: [0.06], kind: .reference, color: .compareFg),
         ChartSeries(label: "GPTQ 3-bit", values: [0.0181], kind: .reference, color: .compareFg),
         ChartSeries(label: "QuantEase", values: (1...30).map { 0.0165 * (1 + 2 / Double($0 * $0)) }, color: .hiFg)]
    }

    @Test func focusFitsTheFinalValuesAndLeavesFarOffLevelsOut() throws {
        let scale = try #require(ChartScale.focus(comparison))
        #expect(scale.lo < log10(0.0165) && scale.hi > log10(0.0181), "both results of interest are on the axis")
        #expect(scale.hi < log10(0.03), "RTN (3.3× GPTQ) and the faint earlier solve do not stretch it")
        let all = try #require(ChartScale.all(comparison))
        #expect(all.hi >= log10(0.12) && all.lo <= log10(0.0165))
        // A lone value still gets an axis of its own, with round ticks.
        let lone = try #require(ChartScale.focus([ChartSeries(label: "", values: [0.02, 0.02], color: .hiFg)]))
        #expect(lone.span >= ChartScale.focusMinSpan - 1e-12)
        #expect(!lone.ticks(rows: 10).isEmpty)
    }

    @Test func aLoneCurveCloseToItsEndFillsTheMiddleOfTheAxis() throws {
        // Bug: a curve going from 0.0093 to 0.0088 sat in the bottom quarter, the axis widened only upward.
        let curve = (1...6).map { 0.0088 * (1 + 0.06 / Double($0 * $0)) }
        let scale = try #require(ChartScale.focus([ChartSeries(label: "", values: curve, color: .hiFg)]))
        let rows = 20
        let top = try #require(scale.position(curve[0], rows: rows)), bottom = try #require(scale.position(curve[5], rows: rows))
        #expect(top > 1 && bottom < Double(rows - 2) && bottom - top > Double(rows) / 4, "\(top) … \(bottom)")
    }

    @Test func focusSeparatesCloseResultsThatFitAllPutsOnOneRow() {
        func rows(_ fit: ChartFit) -> (gptq: Int?, quantease: Int?, text: String) {
            var b = CellBuffer(size: Size(width: 40, height: 10))
            LineChart(series: comparison, steps: 30, marker: .braille, xLabel: "sweeps", fit: fit).draw(in: b.bounds, on: &b, palette: palette)
            return (b.lines.firstIndex { $0.contains("GPTQ 3-bit 0.0181") }, b.lines.lastIndex { $0.contains("⣀") || $0.contains("⠤") || $0.contains("⠒") || $0.contains("⠉") }, b.text)
        }
        let focus = rows(.focus)
        #expect(focus.text.contains("▴ RTN 3-bit 0.0600"), "RTN is off the axis: its label sits on the top row behind a marker")
        #expect(focus.gptq != nil && focus.quantease != nil && focus.gptq! < focus.quantease!, "GPTQ's level is drawn above the QuantEase curve")
        assertSnapshot(chartText(comparison, fit: .focus), named: "chart-focus")
        assertSnapshot(chartText(comparison, fit: .all), named: "chart-fit-all")
    }

    func chartText(_ series: [ChartSeries], fit: ChartFit = .focus, cursor: Int? = nil, glyphs: GlyphSet = .unicode, marker: ChartMarker = .braille,
                   size: Size = Size(width: 40, height: 10)) -> String {
        var b = CellBuffer(size: size)
        LineChart(series: series, steps: 30, marker: marker, xLabel: "sweeps", fit: fit, cursor: cursor, stepName: "sweep")
            .draw(in: b.bounds, on: &b, palette: Palette(theme: .defaultDark, depth: .palette256, glyphs: glyphs))
        return b.framedText
    }

    @Test func curvesOffTheAxisAreClippedWithAMarker() {
        // The first sweeps (3× the final value) leave through the top of the focus range.
        let text = chartText([ChartSeries(label: "QuantEase", values: (1...30).map { 0.0165 * (1 + 2 / Double($0 * $0)) }, color: .hiFg)])
        let top = text.split(separator: "\n")[1]
        #expect(top.contains("▴"))
        let ascii = chartText([ChartSeries(label: "QuantEase", values: (1...30).map { 0.0165 * (1 + 2 / Double($0 * $0)) }, color: .hiFg)], glyphs: .ascii)
        #expect(ascii.split(separator: "\n")[1].contains("^"))
    }

    @Test func everyLevelIsDrawnWhenLabelsCollide() {
        // Two levels within one row, and a level on the row where a dashed curve's label belongs.
        let series = [
            ChartSeries(label: "GPTQ 3-bit", values: [0.0408], kind: .reference, color: .compareFg),
            ChartSeries(label: "GPTQ 4-bit", values: [0.0411], kind: .reference, color: .compareFg),
            ChartSeries(label: "GPTQ 2-bit", values: [0.0181], kind: .reference, color: .compareFg),
            ChartSeries(label: "AQLM 2x8", values: (1...30).map { 0.0181 * (1 + 1 / Double($0)) }, kind: .dashed, color: .compareFg),
            ChartSeries(label: "QuantEase", values: (1...30).map { 0.009 * (1 + 3 / Double($0 * $0)) }, color: .hiFg),
        ]
        let text = chartText(series, fit: .all, size: Size(width: 60, height: 12))
        assertSnapshot(text, named: "chart-colliding-levels")
        for label in ["GPTQ 3-bit 0.0408", "GPTQ 4-bit 0.0411", "GPTQ 2-bit 0.0181", "AQLM 2x8 0.0187"] { #expect(text.contains(label), "\(label)") }
        // Both lines of the shared row are drawn: its dashes fill every column the labels left.
        let lines = text.split(separator: "\n").map(String.init)
        let shared = lines.first { $0.contains("╌╌╌╌") }
        #expect(shared != nil, "the two levels of one row take turns, so the row is dashed throughout")
        #expect((shared ?? "").filter { $0 == "╌" }.count >= 40, "both lines of the shared row")
        #expect(lines.filter { $0.contains("╌") }.count == 2, "GPTQ 2-bit's line is drawn too, beside its label and the dashed curve's")
    }

    @Test func aFlatLineReadsAsALineInASCII() {
        let flat = [ChartSeries(label: "GPTQ", values: Array(repeating: 0.018, count: 30), color: .hiFg)]
        for marker in ChartMarker.allCases {
            let lines = chartText(flat, fit: .all, glyphs: .ascii, marker: marker).split(separator: "\n")
            let row = lines.first { $0.contains("-----") }
            #expect(row != nil, "\(marker)")
            #expect(!(row ?? "").contains("*") && !(row ?? "").contains("."))
        }
        // Falling and rising strokes follow the slope.
        var b = CellBuffer(size: Size(width: 20, height: 6))
        LineChart(series: [ChartSeries(label: "", values: [0.1, 0.01, 0.1], color: .hiFg)], steps: 3, marker: .ascii, xLabel: "", fit: .all)
            .draw(in: b.bounds, on: &b, palette: Palette(theme: .defaultDark, depth: .palette256, glyphs: .ascii))
        #expect(b.text.contains("\\") && b.text.contains("/"))
    }

    @Test func theCursorReadsEveryCurveAtItsStep() {
        let series = comparison
        let text = chartText(series, cursor: 5, size: Size(width: 80, height: 10))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1].contains("sweep 5 · QuantEase 0.0178 · RTN 3-bit 0.0600 · GPTQ 3-bit 0.0181"), "\(lines[1])")
        // A vertical marker at sweep 5 of 30 on the blank cells of the plot.
        #expect(lines.dropFirst(2).filter { $0.contains("│") && $0.dropFirst(2).contains("│") }.count >= 3)
        // A curve without a value at the step is left out of the readout; a level always has one.
        let short = [ChartSeries(label: "A", values: [0.02, 0.019], color: .hiFg), ChartSeries(label: "L", values: [0.03], kind: .reference, color: .compareFg)]
        let readout = chartText(short, cursor: 9).split(separator: "\n")[1]
        #expect(readout.contains("sweep 9 · L 0.0300") && !readout.contains("A 0."))
    }

    @Test func tickLabelsAreRoundValues() {
        #expect(ChartScale.niceStep(0.0013) == 0.002 && ChartScale.niceStep(0.0004) == 0.0005)
        #expect(ChartScale.label(0.017, step: 0.001) == "0.017")
        #expect(ChartScale.label(0.0165, step: 0.0005) == "0.0165")
        #expect(ChartScale.label(0.00045, step: 0.00005) == "4.5e-4")
        let ticks = ChartScale(lo: log10(0.016), hi: log10(0.019)).ticks(rows: 9)
        #expect(ticks.map { $0.label } == ["0.019", "0.018", "0.017", "0.016"])
    }

    @Test func sparklineScalesToTheLargestValue() {
        var b = CellBuffer(size: Size(width: 6, height: 1))
        Sparkline(values: [0, 1, 2, 4, 8]).draw(in: b.bounds, on: &b, palette: palette)
        #expect(b.lines == ["▁▁▂▄█ "])
        var two = CellBuffer(size: Size(width: 3, height: 2))
        Sparkline(values: [16, 8, 2]).draw(in: two.bounds, on: &two, palette: palette)
        #expect(two.lines == ["█  ", "██▂"])
    }

    @Test func heatmapShadesOnALogScaleWithALegend() {
        var b = CellBuffer(size: Size(width: 44, height: 5))
        let sixteen = Palette(theme: .defaultDark, depth: .ansi16, glyphs: .unicode)
        Heatmap(rowLabels: ["0", "1"], columnLabels: ["q", "k", "v"], values: [[0.001, 0.01, 0.1], [nil, 0.0031, nil]],
                highlight: (1, 1)).draw(in: b.bounds, on: &b, palette: sixteen)
        assertSnapshot(b.framedText, named: "heatmap")
        #expect(Heatmap.level(0.001, range: (0.001, 0.1), levels: 4) == 0)
        #expect(Heatmap.level(0.1, range: (0.001, 0.1), levels: 4) == 3)
        #expect(Heatmap.level(0.01, range: (0.001, 0.1), levels: 5) == 2)
    }

    /// 256 colours and truecolor get a ramp of background colours, low to high; 16 colours, monochrome and
    /// a theme of palette entries keep the four shades.
    @Test func heatmapRampOnRichTerminals() {
        for depth in [ColorDepth.palette256, .truecolor] {
            let scale = HeatScale(palette: Palette(theme: .defaultDark, depth: depth, glyphs: .unicode), shadeLevels: 4)
            #expect(scale.ramp && scale.levels == HeatScale.rampLevels)
            let backgrounds = (0..<scale.levels).map { scale.cell($0).style.bg }
            #expect(Set(backgrounds).count >= 12, "\(depth): \(Set(backgrounds).count) colours")
            #expect(scale.cell(0).symbol == " " && backgrounds.first != backgrounds.last)
        }
        for depth in [ColorDepth.ansi16, .ansi8, .mono] {
            let scale = HeatScale(palette: Palette(theme: .defaultDark, depth: depth, glyphs: .unicode), shadeLevels: 4)
            #expect(!scale.ramp && (0..<4).map { scale.cell($0).symbol } == ["░", "▒", "▓", "█"])
        }
        let tty = Theme(name: "tty", colors: [.heatStart: .indexed(4), .heatMid: .indexed(3), .heatEnd: .indexed(1)])
        #expect(!HeatScale(palette: Palette(theme: tty, depth: .palette256, glyphs: .unicode), shadeLevels: 4).ramp)
        // The legend samples the ramp down to leave room for the text after it.
        var b = CellBuffer(size: Size(width: 30, height: 1))
        let scale = HeatScale(palette: palette, shadeLevels: 4)
        #expect(scale.drawLegend(at: Point(x: 0, y: 0), width: 30, on: &b, palette: palette) == 4 + 16 + 5)
        #expect(scale.drawLegend(at: Point(x: 0, y: 0), width: 30, reserve: 15, on: &b, palette: palette) == 4 + 6 + 5)
    }

    @Test func heatmapCursorClicksAndReadout() {
        let map = Heatmap(rowLabels: ["0", "1"], columnLabels: ["q", "k", "v"], values: [[0.001, 0.01, 0.1], [nil, 0.0031, nil]],
                          highlight: (1, 1), cursor: (1, 1), readout: "1.k · rel_err 0.0031")
        var b = CellBuffer(size: Size(width: 44, height: 5))
        map.draw(in: b.bounds, on: &b, palette: Palette(theme: .defaultDark, depth: .mono, glyphs: .ascii))
        #expect(b.lines[2] == " 1 ---- [::]<----                           ")
        #expect(b.lines[4].hasSuffix(" high  1.k · rel_err 0.0031         "))
        #expect(map.cell(at: Point(x: 8, y: 2), in: b.bounds)! == (1, 1))
        #expect(map.cell(at: Point(x: 3, y: 1), in: b.bounds)! == (0, 0))
        #expect(map.cell(at: Point(x: 1, y: 1), in: b.bounds) == nil && map.cell(at: Point(x: 20, y: 1), in: b.bounds) == nil)
        #expect(map.cell(at: Point(x: 3, y: 3), in: b.bounds) == nil, "the row below the grid")
    }

    @Test func tableMarksTheSortedColumnAndSaysWhenEmpty() {
        let columns = [TableColumn("name", width: 0), TableColumn("rel_err", width: 8, rightAligned: true)]
        var b = CellBuffer(size: Size(width: 30, height: 3))
        Table(columns: columns, rows: [TableRow(cells: ["a", "0.1"], styles: [.plain, .plain])], selected: 0, offset: 0, sort: (1, true))
            .draw(in: b.bounds, on: &b, palette: palette)
        #expect(b.lines[0] == "  name                rel_err▼")
        var ascii = CellBuffer(size: Size(width: 30, height: 3))
        Table(columns: columns, rows: [], selected: nil, offset: 0, sort: (0, false), emptyText: "no layer matches *.q")
            .draw(in: ascii.bounds, on: &ascii, palette: Palette(theme: .defaultDark, depth: .mono, glyphs: .ascii))
        #expect(ascii.lines[0] == "  name^                rel_err" && ascii.lines[1] == "  no layer matches *.q        ")
        #expect(Table.width(of: columns, flexible: 10) == 2 + 10 + 8 + 1)
    }

    @Test func aFocusedBoxShowsItInBorderAndTitle() {
        var b = CellBuffer(size: Size(width: 20, height: 3))
        Box(title: "Heat", focused: true).draw(in: b.bounds, on: &b, palette: palette)
        #expect(b.lines[0] == "┌ ▸ Heat ──────────┐" && b[0, 1]!.style.fg == palette[.hiFg])
        Box(title: "Heat").draw(in: b.bounds, on: &b, palette: palette)
        #expect(b.lines[0] == "┌ Heat ────────────┐" && b[0, 1]!.style.fg == palette[.border])
    }

    @Test func tableKeepsTheSelectionVisible() {
        #expect(Table.offset(keeping: 0, visible: 5, offset: 3, count: 20) == 0)
        #expect(Table.offset(keeping: 9, visible: 5, offset: 0, count: 20) == 5)
        #expect(Table.offset(keeping: 7, visible: 5, offset: 5, count: 20) == 5)
        #expect(Table.offset(keeping: 19, visible: 5, offset: 0, count: 20) == 15)
        #expect(Table.offset(keeping: 3, visible: 0, offset: 2, count: 20) == 0)
        var b = CellBuffer(size: Size(width: 30, height: 4))
        let rows = (0..<10).map { TableRow(cells: ["layer \($0)", "\($0 * 10)"], styles: [.plain, .plain]) }
        Table(columns: [TableColumn("name", width: 0), TableColumn("n", width: 4, rightAligned: true)], rows: rows, selected: 6, offset: 0)
            .draw(in: b.bounds, on: &b, palette: palette)
        #expect(b.lines == ["  name                       n", "  layer 4                   40", "  layer 5                   50", "▸ layer 6                   60"])
    }

    @Test func gaugeAndStatusBar() {
        var b = CellBuffer(size: Size(width: 20, height: 2))
        Gauge(fraction: 0.5, label: "3/6").draw(in: b.bounds, on: &b, palette: palette)
        StatusBar(context: ["model", "layer"], hints: [("?", "help"), ("q", "quit")]).draw(in: b.bounds.row(1), on: &b, palette: palette)
        #expect(b.lines == ["████████░░░░░░░░ 3/6", " model · layer      "], "no room for a hint two columns away")
        var wide = CellBuffer(size: Size(width: 22, height: 1))
        StatusBar(context: ["model", "layer"], hints: [("?", "help"), ("q", "quit")]).draw(in: wide.bounds, on: &wide, palette: palette)
        #expect(wide.lines == [" model · lay…  ? help "], "the context is cut, with two columns before the hints")
    }

    @Test func everyWidgetSurvivesTinyAreas() {
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 2, height: 2), Size(width: 3, height: 12)] {
            var b = CellBuffer(size: size)
            Box(title: "Layers", trailing: "3/6").draw(in: b.bounds, on: &b, palette: palette)
            LineChart(series: [ChartSeries(label: "x", values: curve, color: .hiFg)], steps: 30, marker: .braille, xLabel: "sweeps")
                .draw(in: b.bounds, on: &b, palette: palette)
            Sparkline(values: curve).draw(in: b.bounds, on: &b, palette: palette)
            Heatmap(rowLabels: ["0"], columnLabels: ["q"], values: [[0.1]], highlight: nil).draw(in: b.bounds, on: &b, palette: palette)
            Table(columns: [TableColumn("a", width: 0)], rows: [TableRow(cells: ["x"], styles: [.plain])], selected: 0, offset: 0)
                .draw(in: b.bounds, on: &b, palette: palette)
            Gauge(fraction: .nan, label: "x").draw(in: b.bounds, on: &b, palette: palette)
            StatusBar(context: ["a"], hints: [("q", "quit")]).draw(in: b.bounds, on: &b, palette: palette)
            #expect(b.size.width == max(0, size.width))
        }
    }

    @Test func nonFiniteValuesNeverTrap() {
        var b = CellBuffer(size: Size(width: 30, height: 8))
        let bad = [Double.infinity, .nan, -1, 0, 1e300, 0.01]
        Sparkline(values: bad).draw(in: b.bounds, on: &b, palette: palette)
        Heatmap(rowLabels: ["0"], columnLabels: ["a", "b", "c"], values: [bad.prefix(3).map { $0 }], highlight: nil).draw(in: b.bounds, on: &b, palette: palette)
        LineChart(series: [ChartSeries(label: "x", values: bad, color: .hiFg), ChartSeries(label: "r", values: [.infinity], kind: .reference, color: .compareFg)],
                  steps: 6, marker: .block, xLabel: "").draw(in: b.bounds, on: &b, palette: palette)
        #expect(Heatmap.level(.infinity, range: (0.01, 0.1), levels: 4) == 3)
        #expect(Text.duration(.infinity) == "-" && Text.duration(1e300) == "-")
    }

    @Test func numberFormats() {
        #expect(Text.scientific(0.0123) == "0.0123")
        #expect(Text.scientific(0.0000123) == "1.2e-05")
        #expect(Text.scientific(.nan) == "nan")
        #expect(Text.duration(0.41) == "0.4s" && Text.duration(185) == "3m05s")
        #expect(Text.count(22_700_000) == "22.7M")
        #expect(Text.truncate("0.attention.output.dense", to: 10) == "0.attenti…")
        #expect(Text.pad("漢字", to: 5, right: true) == " 漢字")
        #expect(Text.wrap("cannot export as gptq: no loader", width: 12) == ["cannot", "export as", "gptq: no", "loader"])
        #expect(Text.wrap("abcdefghij kl\nmn", width: 4) == ["abcd", "efgh", "ij", "kl", "mn"])
        #expect(Text.wrap("漢字漢字漢", width: 4) == ["漢字", "漢字", "漢"] && Text.wrap("x", width: 0).isEmpty)
    }
}
