import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite("TUI screens") struct TUIScreenTests {
    let run = Fixtures.run()

    func frame(_ state: AppState, run: RunState? = nil) -> CellBuffer { App.render(state, run: run ?? self.run, size: state.size) }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 60)])
    func mainScreen(size: Size) {
        assertSnapshot(frame(Fixtures.app(size)).framedText, named: "main-\(size.width)x\(size.height)")
    }

    @Test func mainScreenStyles() {
        assertSnapshot(frame(Fixtures.app(Size(width: 80, height: 24))).styleMap, named: "main-80x24-styles")
    }

    @Test func eightColourStylesOnlyUsePaletteEntries() {
        let b = frame(Fixtures.app(Size(width: 120, height: 40), depth: .ansi8, glyphs: .unicode))
        for y in 0..<b.size.height {
            for x in 0..<b.size.width {
                let s = b[x, y]!.style
                for c in [s.fg, s.bg] {
                    if case let .indexed(i) = c { #expect(i < 8) } else { #expect(c == .terminalDefault) }
                }
            }
        }
    }

    @Test func asciiScreenForNonUTF8Locales() {
        let b = frame(Fixtures.app(Size(width: 80, height: 24), depth: .mono, glyphs: .ascii))
        assertSnapshot(b.framedText, named: "main-80x24-ascii")
        #expect(b.cells.allSatisfy { $0.symbol.unicodeScalars.allSatisfy(\.isASCII) })
        assertSnapshot(b.styleMap, named: "main-80x24-ascii-styles")
    }

    @Test(arguments: [Size(width: 79, height: 24), Size(width: 80, height: 23), Size(width: 40, height: 10), Size(width: 1, height: 1), Size(width: 0, height: 0)])
    func tooSmall(size: Size) {
        let b = frame(Fixtures.app(size))
        #expect(b.size == size)
        if size.width >= 20 && size.height >= 3 { #expect(b.text.contains("Terminal too small")) }
        if size == Size(width: 40, height: 10) { assertSnapshot(b.framedText, named: "too-small-40x10") }
    }

    @Test func helpOverlay() {
        let (s, _) = App.reduce(Fixtures.app(), .key(.char("?")), run: run)
        assertSnapshot(frame(s).framedText, named: "help-120x40")
    }

    @Test func methodPanel() {
        var s = Fixtures.app()
        s.method.kind = .quanteaseOutlier
        (s, _) = App.reduce(s, .key(.char("m")), run: run)
        assertSnapshot(frame(s).framedText, named: "method-panel-120x40")
        let before = frame(s).text
        (s, _) = App.reduce(s, .key(.char("j")), run: run)
        (s, _) = App.reduce(s, .key(.char("+")), run: run)
        // 3 bits + a 16-bit scale and 3-bit zero per row of 384 + 1% outliers at 32 bits.
        #expect(before.contains("bits/weight 3.370 on 1.attention.self.value (384×384)"))
        #expect(frame(s).text.contains("bits/weight 4.372"))
    }

    @Test func recipePicker() {
        let (s, _) = App.reduce(Fixtures.app(), .key(.char("o")), run: run)
        assertSnapshot(frame(s).framedText, named: "recipes-120x40")
    }

    @Test func perLayerHeatmap() {
        // 0.intermediate.dense (1536 × 384) is done: its 48 × 64 map, pooled into the panel.
        var done = Fixtures.app()
        done.selected = 4
        let (s, _) = App.reduce(done, .key(.char("w")), run: run)
        assertSnapshot(frame(s).framedText, named: "layer-heatmap-120x40")
        var small = Fixtures.app(Size(width: 80, height: 24), depth: .mono, glyphs: .ascii)
        small.selected = 4
        let ascii = frame(App.reduce(small, .key(.char("w")), run: run).0)
        assertSnapshot(ascii.framedText, named: "layer-heatmap-80x24-ascii")
    }

    @Test func codebookPanel() {
        var r = run
        r.apply(.sweepFinished(layer: "1.attention.self.value", progress: Fixtures.codebookProgress))
        assertSnapshot(frame(Fixtures.app(), run: r).framedText, named: "codebooks-120x40")
    }

    @Test func codebookColumnShowsTheShareOfEntriesInUse() throws {
        let progress = SolverProgress(step: 1, totalSteps: 1, relativeError: 0.1, codesChanged: nil, outliers: 0, onGrid: true, elapsed: 0,
                                      codebooks: [CodebookUsage(counts: [3, 0, 1, 0], bits: 2), CodebookUsage(counts: [1, 1, 1, 1], bits: 2)])
        #expect(MainScreen.codebookUtilization(progress) == "75%")
        #expect(MainScreen.codebookUtilization(Fixtures.codebookProgress) != "")
        var plain = progress
        plain.codebooks = []
        #expect(MainScreen.codebookUtilization(plain) == "" && MainScreen.codebookUtilization(nil) == "")
    }

    @Test func layerScopeOverlay() {
        var s = Fixtures.app()
        for key in [Key.char("/")] + "*.query".map(Key.char) { (s, _) = App.reduce(s, .key(key), run: run) }
        assertSnapshot(frame(s).framedText, named: "scope-120x40")
    }

    @Test func anEmptyRunAndAFinishedOneDrawWithoutData() {
        let empty = frame(Fixtures.app(), run: RunState())
        #expect(empty.text.contains("quantbench · starting"))
        #expect(empty.text.contains("no layers yet"))
        var finished = Fixtures.run(done: 36)
        finished.apply(.runFinished(.completed))
        let b = frame(Fixtures.app(), run: finished)
        #expect(b.text.contains("layers 36/36") && b.text.contains("completed"))
    }

    @Test func everyKeyOnEveryScreenRendersAtEverySize() {
        let keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backspace,
                           .char("?"), .char("m"), .char("o"), .char("b"), .char("t"), .char("+"), .char("]"), .char("g"), .char("S"), .function(1),
                           .char("w"), .char("/"), .char("x"), .enter, .char("w"), .char("v"), .char("W"), .tab, .up, .right,
                           .char("f"), .char("q"), .backspace, .enter, .char("f"), .escape]
        for size in [Size(width: 80, height: 24), Size(width: 81, height: 25), Size(width: 30, height: 8), Size(width: 0, height: 0)] {
            for run in [RunState(), self.run] {
                var s = Fixtures.app(size)
                for k in keys {
                    (s, _) = App.reduce(s, .key(k), run: run)
                    #expect(App.render(s, run: run, size: size).size == size)
                }
            }
        }
    }
}
