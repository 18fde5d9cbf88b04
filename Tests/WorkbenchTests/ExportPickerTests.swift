import Engine
import Testing
@testable import Workbench
import TUIKit

@Suite("Export picker") struct ExportPickerTests {
    let run = Fixtures.run()

    @Test func enterAsksForTheChosenTargetWithTheOutlierHandling() {
        let (s, effects) = press([.char("e"), .down, .right, .enter])
        #expect(effects == [.export(ExportRequest(target: "gptq", outliers: "dense-layers"))])
        #expect(s.export.running == ExportView.Progress(target: "gptq", fraction: 0) && s.screen == .export)
        // A second ⏎ while it is written asks for nothing and says why.
        let (again, more) = press([.enter], s)
        #expect(more.isEmpty && again.message == "the gptq export is still being written")
        // The run folder and dense keep outliers as they are: no handling is sent, and ←→ say so.
        #expect(press([.char("e"), .enter]).1 == [.export(ExportRequest(target: "run", outliers: nil))])
        let dense = press([.char("e"), .end, .left])
        #expect(dense.0.message == "dense: outliers are kept as they are" && dense.0.export.outliers == 0)
        #expect(press([.char("e"), .end, .enter]).1 == [.export(ExportRequest(target: "dense", outliers: nil))])
        // ←→ wrap round the handlings; Esc closes.
        #expect(press([.char("e"), .down, .left]).0.export.outliers == 2)
        #expect(press([.char("e"), .escape]).0.screen == .main)
    }

    @Test func withoutTargetsESaysSo() {
        var state = Fixtures.app()
        state.export = ExportView()
        let (s, effects) = press([.char("e")], state)
        #expect(s.screen == .main && effects.isEmpty && s.message == "export is not available here")
    }

    @Test func theStatusBarShowsTheExportUnderWayAfterThePickerCloses() {
        var (s, _) = press([.char("e"), .down, .enter, .escape])
        s.export.running?.fraction = 0.42
        #expect(App.render(s, run: run, size: s.size).lines.last?.contains("exporting gptq 42%…") == true)
    }

    @Test func picker() {
        var (s, _) = press([.char("e"), .down, .right])
        assertSnapshot(App.render(s, run: run, size: s.size).framedText, named: "export-120x40")
        s.export.finish("cannot export as gptq (0.attention.self.query): 2 layer(s) keep 300 outliers in full precision, and no loader reads "
                        + "quantized weights plus a sparse full-precision part; use --outliers dense-layers (those layers stay dense)", failed: true)
        assertSnapshot(App.render(s, run: run, size: s.size).framedText, named: "export-refused-120x40")
        s.export.finish("", failed: false)
        s.export.running = ExportView.Progress(target: "gptq", fraction: 0.5)
        #expect(App.render(s, run: run, size: s.size).text.contains("writing gptq…"))
        var small = Fixtures.app(Size(width: 80, height: 24), glyphs: .ascii)
        (small, _) = App.reduce(small, .key(.char("e")), run: run)
        assertSnapshot(App.render(small, run: run, size: small.size).framedText, named: "export-80x24-ascii")
    }
}
