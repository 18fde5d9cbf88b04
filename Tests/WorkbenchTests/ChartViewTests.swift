import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The convergence chart's keys: `z` fit, `<` `>` cursor; and what the chart draws of comparisons.
@Suite struct ChartViewTests {
    let run = Fixtures.run()

    func chartLines(_ s: AppState, run: RunState? = nil) -> [String] {
        let b = App.render(s, run: run ?? self.run, size: s.size)
        let chart = App.layout(s, run ?? self.run).chart
        return (chart.y..<chart.maxY).map { y in String(b.lines[y].dropFirst(chart.x).prefix(chart.width)) }
    }

    @Test func zTogglesFocusAndFitAllAndTheLegendSaysWhich() {
        let (all, _) = press([.char("z")])
        #expect(all.chart.fit == .all && all.message == "chart fit: all (every value)")
        #expect(chartLines(all)[0].contains("fit: all"))
        let (focus, _) = press([.char("z"), .char("z")])
        #expect(focus.chart.fit == .focus && chartLines(focus)[0].contains("fit: focus"))
    }

    @Test func theCursorMovesAlongTheSweepsAndFollowsTheLatestAgain() {
        // 1.attention.self.value is at sweep 17 of 30.
        let (back, _) = press([.char("<"), .char("<")])
        #expect(back.chart.cursor == 15)
        #expect(chartLines(back)[2].contains("sweep 15 · QuantEase 3-bit 0.0091"))
        let (again, _) = press([.char("<"), .char(">")])
        #expect(again.chart.cursor == nil && again.message == "cursor follows the latest sweep")
        let (start, _) = press(Array(repeating: .char("<"), count: 40))
        #expect(start.chart.cursor == 1)
        let (end, _) = press([.char(">")])
        #expect(end.chart.cursor == nil, "past the latest sweep the cursor keeps following")
        // Another layer starts from its latest sweep.
        let (other, _) = press([.char("<"), .char("<"), .up])
        #expect(other.chart.cursor == nil && other.selected == 7)
        // Home and End stay the table's.
        #expect(press([.char("<"), .home]).0.selected == 0)
    }

    @Test func aLayerWithoutSweepsSaysSo() {
        var s = Fixtures.app()
        s.selected = 20
        let (after, _) = press([.char("<")], s)
        #expect(after.chart.cursor == nil && after.message == "no sweeps to move along on 3.attention.self.value")
    }

    @Test func aHeldCursorShowsItsReadoutEvenOnASmallScreen() {
        let small = Fixtures.app(Size(width: 80, height: 24))
        #expect(!chartLines(small).contains { $0.contains("sweep 17 ·") }, "following, a small chart keeps its rows for the plot")
        let (held, _) = press([.char("<")], small)
        #expect(chartLines(held).contains { $0.contains("sweep 16 · QuantEase 3-bit") })
    }

    @Test func focusLeavesRTNOutAndMarksIt() {
        // Layer 0 was compared with GPTQ (its own rel_err) and RTN (6×).
        var s = Fixtures.app()
        s.selected = 0
        let focus = chartLines(s).joined(separator: "\n")
        #expect(focus.contains("▴ RTN 3-bit 0.0120") && focus.contains("GPTQ 3-bit 0.0020"))
        s.chart.fit = .all
        let all = chartLines(s).joined(separator: "\n")
        #expect(all.contains("RTN 3-bit 0.0120") && !all.contains("▴ RTN"))
    }

    @Test func anIterativeComparisonDrawsItsCurveAndOneStepMethodsStayLevels() throws {
        var r = run
        let name = "1.attention.self.value"
        let aqlm = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 30))
        for p in Fixtures.sweeps(30, total: 30, final: 0.0085) { r.apply(.comparisonSweep(layer: name, method: aqlm, progress: p)) }
        var result = Fixtures.summary(r.rows[name]!.info, 8, method: aqlm, bits: 4)
        result.relErr = 0.0085
        r.apply(.comparisonFinished(result))
        var gptq = Fixtures.summary(r.rows[name]!.info, 8, method: Fixtures.gptq)
        gptq.relErr = 0.0095
        r.apply(.comparisonFinished(gptq))
        let chart = ConvergencePanel.chart(r.rows[name]!, archive: CurveArchive())
        #expect(chart.series.map(\.kind) == [.dashed, .reference, .line])
        #expect(chart.series[0].values.count == 30 && chart.series[0].label == "QuantEase 4-bit")
        let s = Fixtures.app(Size(width: 200, height: 60))
        let lines = chartLines(s, run: r)
        #expect(lines[2].contains("sweep 17 · QuantEase 3-bit 0.0091 · QuantEase 4-bit 0.0086 · GPTQ 3-bit 0.0095"), "\(lines[2])")
        assertSnapshot(lines.joined(separator: "\n"), named: "chart-comparison-curve-200x60")
    }
}
