import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite("TUI app reducer") struct TUIAppTests {
    let run = Fixtures.run()

    @Test func bitsStayBetweenTwoAndEight() {
        #expect(press([.char("+")]).0.method.bits == 4)
        #expect(press(Array(repeating: .char("+"), count: 9)).0.method.bits == 8)
        #expect(press(Array(repeating: .char("-"), count: 9)).0.method.bits == 2)
    }

    @Test func enterSolvesTheSelectedLayerWithTheDraft() throws {
        let (s, effects) = press([.char("+"), .char("g"), .enter])
        let method = try s.method.build()
        #expect(method.grid?.bits == 4 && method.grid?.groupSize == 32)
        #expect(effects == [.engine(.resolve(layer: "1.attention.self.value", method: method))])
        #expect(s.pending?.text(ellipsis: "…").hasPrefix("solving 1.attention.self.value with QuantEase 4-bit") == true && s.message == nil)
    }

    @Test func compareUsesTheSecondMethod() throws {
        let (s, effects) = press([.char("c")])
        let gptq = try s.method.with(kind: .gptq).build()
        #expect(effects == [.engine(.compare(layer: "1.attention.self.value", method: gptq))])
    }

    @Test func invalidSettingsSayWhyAndSendNothing() {
        var state = Fixtures.app()
        state.method.kind = .aqlm
        state.method["nbits_per_codebook"] = .int(16)
        state.method["codebook_update"] = .choice("least-squares")
        let (s, effects) = press([.enter], state)
        #expect(effects.isEmpty)
        #expect(s.message?.hasPrefix("cannot solve") == true && s.message?.contains("codebook_update") == true, "\(s.message ?? "")")
        state.method.kind = .quanteaseOutlier
        #expect(press([.char("g")], state).0.message == "group size: not for quantease-outlier (only rtn, gptq, quantease); m opens the method panel")
    }

    @Test func pauseFollowsTheRunAndOtherEffects() {
        let (held, pause) = press([.char("p")])
        #expect(pause == [.engine(.pause)] && held.pauseRequested)
        #expect(App.render(held, run: run, size: held.size).lines[1].contains("pausing"))
        #expect(press([.char("p"), .char("p")]).1 == [.engine(.pause), .engine(.resume)])
        #expect(!press([.char("p"), .char("x")]).0.pauseRequested)
        var paused = run
        paused.apply(.paused(true))
        #expect(press([.char("p")], run: paused).1 == [.engine(.resume)])
        #expect(press([.char("x")]).1 == [.engine(.cancel)])
        #expect(press([.char("e")]).0.screen == .export)
        let (s, q) = press([.char("q")])
        #expect(q == [.quit] && s.quitting)
    }

    @Test func outlierBudgetAndSweepsStep() {
        var state = Fixtures.app()
        state.method.kind = .quanteaseOutlier
        #expect(press([.char("]")], state).0.method.outlierFraction == 0.02)
        #expect(press([.char("["), .char("["), .char("[")], state).0.method.outlierFraction == 0.001)
        #expect(press([.char("]")]).0.message?.contains("quantease-outlier") == true)
        #expect(press([.char("S")]).0.method["sweeps"] == .int(35) && press([.char("s")]).0.method["sweeps"] == .int(25))
    }

    /// Every step says what it changed, and a clamped one says it is at the end, in the status line.
    @Test func settingKeysSayWhatTheyChanged() {
        #expect(press([.char("S")]).0.message == "sweeps 30 → 35")
        #expect(press([.char("+")]).0.message == "bits 3 → 4")
        let floor = press(Array(repeating: .char("s"), count: 40)).0
        #expect(floor.method["sweeps"] == .int(1) && floor.message == "sweeps 1 (the least)")
        #expect(press(Array(repeating: .char("s"), count: 40) + [.char("S"), .char("S")]).0.method["sweeps"] == .int(3),
                "from the floor S climbs one sweep at a time")
        #expect(press(Array(repeating: .char("-"), count: 10)).0.message == "bits 2 (the least)")
    }

    @Test func navigationClampsAndScrolls() {
        let (s, _) = press(Array(repeating: .char("j"), count: 100))
        #expect(s.selected == run.layers.count - 1)
        #expect(s.scroll > 0 && s.selected < s.scroll + MainLayout(size: s.size, blocks: 6).tableRows.height)
        #expect(press([.home]).0.selected == 0 && press([.char("G")]).0.selected == 35)
        #expect(!press([.char("k")]).0.followsActive)
    }

    @Test func clicksSelectTheRowUnderThePointerAndTheWheelScrolls() {
        let rows = MainLayout(size: Size(width: 120, height: 40), blocks: 6).tableRows
        var s = Fixtures.app()
        s.selected = 0
        (s, _) = App.reduce(s, .click(Point(x: rows.x + 3, y: rows.y + 4)), run: run)
        #expect(s.selected == 4)
        (s, _) = App.reduce(s, .click(Point(x: rows.maxX + 5, y: rows.y + 1)), run: run)
        #expect(s.selected == 4)
        (s, _) = App.reduce(s, .wheel(up: false, at: Point(x: 0, y: 0)), run: run)
        #expect(s.selected == 7)
    }

    @Test func resizeKeepsTheSelectionVisible() {
        var s = Fixtures.app()
        s.selected = 30
        (s, _) = App.reduce(s, .resize(Size(width: 80, height: 24)), run: run)
        let visible = MainLayout(size: s.size, blocks: 6).tableRows.height
        #expect(s.size == Size(width: 80, height: 24) && s.scroll <= 30 && 30 < s.scroll + visible)
    }

    @Test func methodPanelEditsEveryField() throws {
        var (s, _) = press([.char("m")])
        #expect(s.screen == .methodPanel)
        (s, _) = press([.right], s)
        #expect(s.method.kind == .quanteaseOutlier)
        let fields = MethodField.fields(for: s.method)
        for (i, f) in fields.enumerated() where f != .kind {
            var t = s
            t.field = i
            let before = f.value(t.method)
            (t, _) = press([.right], t)
            #expect(f.value(t.method) != before || f == .setting("bits") && t.method.bits == 8, "\(f) did not change")
        }
        (s, _) = press([.down, .down, .down, .down, .right], s)
        #expect(s.method.outlierFraction == 0.02)
        let (closed, effects) = press([.enter], s)
        #expect(closed.screen == .main && effects.count == 1)
        #expect(press([.escape], s).0.screen == .main)
        #expect(press([.ctrl("c")], s).1 == [.quit])
    }

    @Test func effectiveBitsCountGridsAndOutliers() {
        var d = MethodDraft()
        // fp64, a division and an addition on values ≈ 3: an ulp or two (4.4e-16 each).
        #expect(abs(d.effectiveBits(rows: 384, cols: 384)! - (3 + 19.0 / 384)) < 1e-12)
        d.groupSize = 128
        #expect(abs(d.effectiveBits(rows: 384, cols: 384)! - (3 + 19.0 / 128)) < 1e-12)
        d = MethodDraft()
        d.kind = .quanteaseOutlier
        d.outlierFraction = 0.01
        // The budget is a whole number of outliers, round(0.01·384²) = 1475, of 32 bits each; fp64 as above.
        #expect(abs(d.effectiveBits(rows: 384, cols: 384)! - (3 + 19.0 / 384 + 1475.0 * 32 / (384 * 384))) < 1e-12)
        d.outlierFraction = 0.7
        #expect(d.effectiveBits(rows: 384, cols: 384) == nil)
    }

    @Test func draftsRoundTripEveryMethod() throws {
        for r in Fixtures.recipes {
            #expect(try MethodDraft(r.method).build() == r.method)
        }
        let gptq = LayerMethod.gptq(try GPTQOptions(grid: try GridOptions(bits: 4, groupSize: 128), actOrder: true, staticGroups: true))
        #expect(try MethodDraft(gptq).build() == gptq)
        #expect(try MethodDraft(.rtn(try GridOptions(bits: 5, symmetric: true))).build() == .rtn(try GridOptions(bits: 5, symmetric: true)))
    }

    @Test func recipePickerLoadsAMethod() {
        var (s, _) = press([.char("o")])
        #expect(s.screen == .recipes)
        (s, _) = press([.down, .enter], s)
        #expect(s.screen == .main && s.method.kind == .quanteaseOutlier && s.recipeName == "minilm-quantease-3bit-outliers")
        var none = Fixtures.app()
        none.recipes = []
        #expect(press([.char("o")], none).0.screen == .main)
    }

    @Test func helpOpensScrollsAndCloses() {
        var (s, _) = press([.char("?")])
        #expect(s.screen == .help)
        (s, _) = press([.char("j"), .char("j")], s)
        #expect(s.helpScroll == 2)
        #expect(press([.char("q")], s).0.screen == .main && press([.char("?")], s).0.screen == .main)
    }

    @Test func chartGlyphsAndThemesCycle() {
        #expect(press([.char("b")]).0.marker == .block)
        #expect(press([.char("b")], Fixtures.app(glyphs: .ascii)).0.marker == .ascii)
        var s = Fixtures.app()
        s.themes = [.defaultDark, Theme(name: "other", colors: [.title: .rgb(1, 2, 3)])]
        (s, _) = press([.char("t")], s)
        #expect(s.palette.theme.name == "other" && s.message == "theme other")
    }

    @Test func theSelectionFollowsTheSolverUntilTheUserMoves() {
        var s = AppState(size: Size(width: 120, height: 40))
        var r = RunState()
        for e in Fixtures.events(done: 3) {
            App.observe(&s, e, before: r)
            r.apply(e)
        }
        #expect(s.selected == 3)
        (s, _) = App.reduce(s, .key(.char("k")), run: r)
        let e = EngineEvent.layerStarted(layer: "0.output.dense", method: Fixtures.rtn)
        App.observe(&s, e, before: r)
        #expect(s.selected == 2)
    }

    @Test func aFinishedResolveReportsItsResult() {
        var (s, _) = press([.char("k"), .enter])
        var r = run
        let row = r.layers[s.selected]
        var summary = row.summary!
        summary.relErr = 0.001
        let request = s.pending?.waiting.first ?? LayerRequest(layer: "", method: summary.method, replacesMain: true)
        for e in [EngineEvent.layerStarted(layer: row.info.name, method: summary.method), .layerFinished(summary), .requestEnded(request)] {
            App.observe(&s, e, before: r)
            r.apply(e)
        }
        #expect(s.message == "solved 1.attention.self.key: rel_err 0.0010 (was 0.1803)" && s.pending == nil && s.unexportedResults)
        (s, _) = App.reduce(s, .key(.char("c")), run: r)
        let gptq = LayerSummary(name: row.info.name, block: 1, rows: 384, cols: 384, method: Fixtures.gptq, bits: 3, relErr: 0.002,
                                bitsPerWeight: 3.05, outliers: 0, seconds: 1, calibrationTokens: 1, notes: [])
        App.observe(&s, .comparisonFinished(gptq), before: r)
        #expect(s.message == "compared 1.attention.self.key: GPTQ 3-bit rel_err 0.0020")
    }

    @Test func aResolveArchivesTheEarlierCurve() {
        var s = Fixtures.app()
        var r = run
        let e = EngineEvent.layerStarted(layer: "0.attention.self.query", method: Fixtures.rtn)
        App.observe(&s, e, before: r)
        r.apply(e)
        let curves = s.archive.curves["0.attention.self.query"]
        #expect(curves?.count == 1 && curves?.first?.relErr.count == 30 && curves?.first?.method == "QuantEase 3-bit, 30 sweeps from GPTQ")
    }
}
