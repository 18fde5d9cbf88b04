import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite("TUI layer scope, heatmap view and progress") struct TUILayerScopeTests {
    /// Eight layers done (block 0, then 1.attention.self.query and .key), layer 8 (1.attention.self.value)
    /// running and selected.
    let run = Fixtures.run()

    func typed(_ text: String) -> [Key] { text.map { .char($0) } }

    @Test func aGlobTypedInTheOverlayBecomesTheScope() throws {
        let (s, effects) = press([.char("/")] + typed("*.query") + [.enter])
        #expect(effects.isEmpty && s.screen == .main)
        #expect(s.scope == .pattern("*.query"))
        #expect(s.message == "solve and compare act on *.query: 6 layers")
        // j and k are typed, not moves, while the overlay is open; Backspace deletes.
        let (t, _) = press([.char("/")] + typed("jk") + [.backspace])
        #expect(t.screen == .scope && t.scopePattern == "j")
    }

    @Test func solvingAScopeQueuesItsSolvedLayersAndSaysWhatItSkipped() throws {
        let (s, effects) = press([.char("/")] + typed("*.attention.self.*") + [.enter, .enter])
        let method = try s.method.build()
        // Block 0's q/k/v and block 1's q/k are done; 1.attention.self.value runs, blocks 2–5 wait.
        let expected = ["0.attention.self.query", "0.attention.self.key", "0.attention.self.value",
                        "1.attention.self.query", "1.attention.self.key"]
        #expect(effects == expected.map { .engine(.resolve(layer: $0, method: method)) })
        let status = s.pending?.text(ellipsis: "…") ?? ""
        #expect(status.hasPrefix("solving 5 layers of *.attention.self.* with ") && status.hasSuffix("(13 not solved yet, skipped)"))
    }

    @Test func blockAndAllScopes() throws {
        // The cursor is on 1.attention.self.value: block 1, where two layers are done.
        let (block, compares) = press([.char("/"), .down, .enter, .char("c")])
        #expect(block.scope == .block(1))
        let gptq = try block.method.with(kind: .gptq).build()
        #expect(compares.count == 2 && compares.allSatisfy { if case let .engine(.compare(_, m)) = $0 { m == gptq } else { false } })
        let (all, _) = press([.char("/"), .down, .down, .down, .enter])
        #expect(all.scope == .all && all.message == "solve and compare act on all layers: 36 layers")
        let frame = App.render(all, run: run, size: all.size).text
        #expect(frame.contains("Layers · solve: all layers (36)") && frame.contains("• 0.attention.self.query"))
        // An empty glob is refused; Esc keeps the old scope.
        let (empty, _) = press([.char("/"), .down, .down, .enter])
        #expect(empty.screen == .scope && empty.message == "type a glob first, e.g. *.attention.*")
        #expect(press([.char("/"), .down, .down, .down, .escape]).0.scope == .layer)
    }

    @Test func wSwitchesTheHeatmapToTheSelectedLayersMap() {
        var done = Fixtures.app()
        done.selected = 4
        let (s, _) = press([.char("w")], done)
        #expect(s.heatmapView == .layer)
        let frame = App.render(s, run: run, size: s.size).text
        #expect(frame.contains("Weighted error · 0.intermediate.dense · out × in"))
        #expect(frame.contains("of rel_err " + Text.scientific(Fixtures.relErr(4))))
        // The running layer has no map yet.
        var running = s
        running.selected = 8
        #expect(App.render(running, run: run, size: s.size).text.contains("the layer is not solved yet"))
        #expect(press([.char("w"), .char("w")]).0.heatmapView == .blocks)
    }

    @Test func calibrationAndLoadingDriveTheGauge() {
        var calibrating = RunState()
        calibrating.apply(.runStarted(Fixtures.info))
        calibrating.apply(.calibrating(CalibrationProgress(block: 0, done: 16, total: 64)))
        let s = Fixtures.app(Size(width: 80, height: 24))
        let line = App.render(s, run: calibrating, size: s.size).lines[1]
        #expect(line.contains("████░░░░░░░░░░░░ running · calibrating block 0: 16/64 · layers 0/36"))
        var loading = s
        loading.loading = LoadingProgress(done: 1, total: 4, step: "reading the tokenizer")
        #expect(App.render(loading, run: RunState(), size: s.size).lines[1].contains("████░░░░░░░░░░░░ starting · loading 2/4: reading the tokenizer… · layers 0/0"))
    }

    @Test func codebookUsageReplacesTheOutlierPanel() {
        var r = run
        r.apply(.sweepFinished(layer: "1.attention.self.value", progress: Fixtures.codebookProgress))
        let text = App.render(Fixtures.app(), run: r, size: Size(width: 120, height: 40)).text
        #expect(text.contains("Codebooks · 1.attention.self.value ─") && text.contains("─ step 3/10 ┐"))
        #expect(text.contains("cb0 · dead 7/256 · H "))
        #expect(text.contains("cb1 · dead 0/256 · H 8.00/8 bits · top 1% 0.9%"))
        #expect(CodebookPanel.ranked([0, 5, 1, 3], width: 2) == [4, 0.5])
    }
}
