import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The status bar, header and layer table tell the truth about the user's work: what runs, what ended,
/// what was cancelled, and what cannot run yet.
@Suite("TUI pending operations and layer states") struct PendingOperationTests {
    let run = Fixtures.run()

    func statusLine(_ s: AppState, _ r: RunState) -> String { App.render(s, run: r, size: s.size).lines[s.size.height - 1] }

    @Test func aFinishedScopeSolveLeavesNoSolvingStatus() {
        // Bug: after a scope solve finished the bar still said "solving 6 layers of *.value…".
        var (s, _) = press([.char("/")] + "*.attention.self.*".map { .char($0) } + [.enter, .enter])
        var r = run
        #expect(statusLine(s, r).contains("solving 5 layers of *.attention.self.*"))
        for request in s.pending?.waiting ?? [] {
            var summary = r.rows[request.layer]!.summary!
            summary.method = request.method
            for e in [EngineEvent.layerStarted(layer: request.layer, method: request.method), .layerFinished(summary), .requestEnded(request)] {
                App.observe(&s, e, before: r)
                r.apply(e)
            }
        }
        #expect(s.pending == nil && !statusLine(s, r).contains("solving"))
        #expect(s.message?.hasPrefix("solved 5 of 5 layers of *.attention.self.*") == true)
    }

    @Test func cancelEndsThePendingOperationAndSaysSo() {
        let (s, effects) = press([.char("k"), .enter, .char("x")])
        #expect(effects.last == .engine(.cancel) && s.pending == nil)
        #expect(s.message == "cancelled solving 1.attention.self.key")
    }

    @Test func aCancelledLayerReadsCancelledEverywhere() {
        // Bug: a cancelled solve read `done`, the header `completed`, the chart `step 1/30`.
        var r = run
        let name = "0.output.dense"
        r.apply(.layerStarted(layer: name, method: Fixtures.rtn))
        r.apply(.sweepFinished(layer: name, progress: Fixtures.sweeps(1, total: 30, final: 0.01)[0]))
        r.apply(.solveCancelled(CancelledSolve(layer: name, method: Fixtures.rtn, step: 1, totalSteps: 30, replacesMain: true)))
        r.apply(.runFinished(.completed))
        var s = Fixtures.app()
        s.selected = 5
        let frame = App.render(s, run: r, size: s.size)
        #expect(frame.lines[1].contains("completed, 1 cancelled"))
        #expect(frame.text.contains("cancel 1/30") && frame.text.contains("cancelled after 1 of 30"))
        #expect(!frame.text.contains("step 1/30"))
    }

    @Test func enterOnALayerNotCalibratedSaysWhyAndSendsNothing() {
        // Bug: the layer was marked failed, the reason only in the log.
        var s = Fixtures.app()
        s.selected = 20
        let (t, effects) = press([.enter], s)
        #expect(effects.isEmpty && t.pending == nil)
        #expect(t.message == "3.attention.self.value cannot be solved yet: its Σ comes when the run reaches block 3")
        #expect(statusLine(t, run).contains("cannot be solved yet"))
    }

    @Test func unavailableFromTheJobIsShownNotAFailure() {
        var (s, _) = press([.char("k"), .enter])
        var r = run
        let request = s.pending?.waiting.first
        for e in [EngineEvent.unavailable(layer: "1.attention.self.key", reason: "re-solving needs its Σ"), .requestEnded(request!)] {
            App.observe(&s, e, before: r)
            r.apply(e)
        }
        #expect(s.pending == nil && s.message == "1.attention.self.key cannot be solved yet: re-solving needs its Σ")
        #expect(r.rows["1.attention.self.key"]?.phase == .done)
    }

    @Test func quittingWithUnexportedResultsAsksOnce() {
        var s = Fixtures.app()
        s.unexportedResults = true
        let (asked, none) = press([.char("q")], s)
        #expect(none.isEmpty && !asked.quitting && asked.message == "unexported results: q again to quit, e to export")
        let (gone, effects) = press([.char("q")], asked)
        #expect(gone.quitting && effects == [.quit])
        // Any other key in between asks again.
        #expect(!press([.char("j"), .char("q")], asked).0.quitting)
    }

    @Test func theBitsColumnFollowsTheSolveUnderWay() {
        // Bug: during a re-solve the bits column kept the old result's bits.
        var r = run
        let four = LayerMethod.rtn(try! GridOptions(bits: 4))
        r.apply(.layerStarted(layer: "0.attention.self.query", method: four))
        let line = App.render(Fixtures.app(), run: r, size: Size(width: 120, height: 40)).lines[4]
        #expect(line.contains("0.attention.self") && line.contains(" 4 ") && !line.contains("3.05"))
    }
}
