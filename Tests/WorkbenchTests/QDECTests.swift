import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite("TUI QDEC view") struct TUIQDECTests {
    static let first = CompensationRequest(id: 1)

    /// A point of the fixture sweep: cosine rising and the output error falling with the budget.
    static func point(_ k: Int, _ selection: ChannelSelection = .bucket) -> CompensationSweep.Point {
        let gain = Double(k) / (Double(k) + 16)
        var p = CompensationSweep.Point(kChunk: k, selection: selection, meanCosine: 0.962 + 0.03 * gain, neighbourAgreement: 0.9,
                                        perplexity: nil, layers: [], parameters: [:])
        p.virtualBits = 3.02 + Double(k) / 1024 * 4
        p.recall = k == 0 ? nil : 0.6 + 0.3 * gain
        p.baseError = 0.0041
        p.compensatedError = 0.0041 * (1 - 0.7 * gain)
        return p
    }

    /// The job's events for the first `done` points of the default sweep (1 s an evaluation).
    static func progress(_ done: Int, of request: CompensationRequest = first) -> [EngineEvent] {
        let ks = request.settings.kChunks
        return [.compensationStarted(request)] + ks.prefix(done).enumerated().map { i, k in
            .compensationProgress(request, CompensationProgress(point: point(k), done: i + 1, total: ks.count, seconds: 1, elapsed: Double(i + 1)))
        }
    }

    static var finished: [EngineEvent] {
        let points = CompensationSettings.defaultKChunks.map { point($0) }
        let sweep = CompensationSweep(kind: "embedding", samples: 256, calibrationPositions: 2048, referencePerplexity: nil, hostBytes: 1 << 20,
                                      source: "the demo text", points: points)
        return progress(points.count) + [.compensationFinished(first, sweep)]
    }

    /// The view opened and started on the fixture run (eight layers done), then fed `events`.
    func view(after events: [EngineEvent], size: Size = Size(width: 120, height: 40), glyphs: GlyphSet = .unicode) -> (AppState, RunState) {
        var (s, _) = press([.char("r"), .enter], Fixtures.app(size, glyphs: glyphs))
        var run = Fixtures.run()
        for e in events {
            App.observe(&s, e, before: run)
            run.apply(e)
        }
        return (s, run)
    }

    func text(_ s: AppState, _ run: RunState) -> String { App.render(s, run: run, size: s.size).text }

    @Test func rOpensTheViewWithTheDefaultSettingsAndEnterStartsTheSweep() {
        let (open, opened) = press([.char("r")])
        #expect(open.screen == .qdec && opened.isEmpty)
        let frame = text(open, Fixtures.run())
        #expect(frame.contains("k_chunk 0 4 8 16 32 64 · selection bucket · residual 4 bits · thresholds on 2048 tokens · 8/36 layers quantized"))
        #expect(frame.contains("6 evaluations over the 8 layers quantized so far"))
        let (started, effects) = press([.char("r"), .enter])
        #expect(effects == [.engine(.compensate(Self.first))] && started.qdec.isActive(Fixtures.run()))
        #expect(text(started, Fixtures.run()).contains("starts once 1.attention.self.value is solved…"))
        // A second ⏎ while it runs does not start another.
        let (again, more) = press([.enter], started)
        #expect(more.isEmpty && again.message == "the QDEC sweep is running (x cancels it)")
        #expect(press([.char("r"), .ctrl("c")]).1 == [.quit])
        #expect(press([.char("r")], run: RunState()).0.message == "no model yet")
    }

    @Test func xCancelsARunningSweepAndEscClosesAndCancels() {
        let (running, run) = view(after: Self.progress(2))
        let (cancelled, effects) = press([.char("x")], running, run: run)
        #expect(effects == [.engine(.stopCompensation)] && cancelled.screen == .qdec && !cancelled.qdec.isActive(run))
        #expect(text(cancelled, run).contains("cancelling after the evaluation at work…"))
        var ended = run
        ended.apply(.compensationCancelled(Self.first))
        #expect(text(cancelled, ended).contains("cancelled after 2/6 evaluations") && text(cancelled, ended).contains("0.9680"))
        #expect(press([.char("x")], cancelled, run: ended).0.message == "no QDEC sweep is running")
        let (closed, closing) = press([.escape], running, run: run)
        #expect(closed.screen == .main && closing == [.engine(.stopCompensation)] && closed.message == "QDEC sweep cancelled")
        // Closing a finished view cancels nothing; reopening shows the last result.
        let (done, doneRun) = view(after: Self.finished)
        let (shut, none) = press([.escape], done, run: doneRun)
        #expect(shut.screen == .main && none.isEmpty)
        let (reopened, _) = press([.char("r")], shut, run: doneRun)
        #expect(text(reopened, doneRun).contains("done: 6/6 evaluations in 6.0s · cosine against FP32 on 256 held-out sentences"))
        // ⏎ again runs a new sweep, whose events replace the last one's.
        let (rerun, asked) = press([.enter], reopened, run: doneRun)
        #expect(asked == [.engine(.compensate(CompensationRequest(id: 2)))] && rerun.qdec.isActive(doneRun))
    }

    @Test func withoutAQuantizedLayerOrACompensableModelTheViewSaysSo() {
        let none = Fixtures.run(done: 0)
        let (open, effects) = press([.char("r"), .enter], run: none)
        #expect(effects.isEmpty && open.message == "cannot run QDEC: no layer is quantized yet")
        let frame = text(open, none)
        #expect(frame.contains("No layer is quantized yet.") && !frame.contains("against k_chunk"))
        var (s, run) = view(after: [.compensationStarted(Self.first)])
        let failure = EngineEvent.compensationFailed(Self.first, message: "QDEC needs a model to compensate, and synthetic has none")
        App.observe(&s, failure, before: run)
        run.apply(failure)
        #expect(text(s, run).contains("cannot run QDEC: QDEC needs a model to compensate, and synthetic has none"))
        #expect(text(s, run).contains("QDEC cannot run on this run:") && !s.qdec.isActive(run))
    }

    @Test func eventsOfAnEarlierSweepAreDropped() {
        var run = RunState()
        Self.progress(2).forEach { run.apply($0) }
        let second = CompensationRequest(id: 2)
        run.apply(.compensationStarted(second))
        run.apply(Self.progress(3)[3])
        #expect(run.compensation?.request == second && run.compensation?.points.isEmpty == true)
        run.apply(.compensationCancelled(second))
        #expect(run.compensation?.status == .cancelled)
    }

    @Test(arguments: [Size(width: 120, height: 40), Size(width: 80, height: 24)])
    func snapshotRunning(size: Size) {
        let (s, run) = view(after: Self.progress(3), size: size, glyphs: size.width < 100 ? .ascii : .unicode)
        #expect(text(s, run).contains("3/6 evaluations"))
        assertSnapshot(App.render(s, run: run, size: size).framedText, named: "qdec-running-\(size.width)x\(size.height)" + (size.width < 100 ? "-ascii" : ""))
    }

    @Test(arguments: [Size(width: 120, height: 40), Size(width: 80, height: 24), Size(width: 200, height: 60)])
    func snapshotFinished(size: Size) {
        let (s, run) = view(after: Self.finished, size: size)
        assertSnapshot(App.render(s, run: run, size: size).framedText, named: "qdec-finished-\(size.width)x\(size.height)")
    }
}
