import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite("TUI sample panel") struct TUISampleTests {
    /// The fixture run as a causal LM's (eight layers done, 1.attention.self.value being solved).
    static let run: RunState = {
        var state = RunState()
        for event in Fixtures.events(done: 8) {
            guard case var .runStarted(info) = event else { state.apply(event); continue }
            (info.model, info.architecture, info.causalLM) = ("SmolLM2-135M-Instruct", "llama", true)
            state.apply(.runStarted(info))
        }
        return state
    }()
    static let first = SampleRequest(id: 1, prompt: GreedySample.defaultPrompt, tokens: GreedySample.defaultTokens)
    static let sample = GreedySample(prompt: GreedySample.defaultPrompt, referenceLabel: "GGUF Q4_1",
                                     reference: " Paris. It is the largest city in France and the seat of its government, on the Seine.",
                                     quantized: " Paris, the city of light.\nIt is the capital of the French Republic")

    func typed(_ text: String) -> [Key] { text.map { .char($0) } }

    /// The panel open on the causal run, fed `events` as the loop feeds them.
    func panel(after events: [EngineEvent], size: Size = Size(width: 120, height: 40), glyphs: GlyphSet = .unicode) -> (AppState, RunState) {
        var (s, _) = press([.char("d")], Fixtures.app(size, glyphs: glyphs), run: Self.run)
        var run = Self.run
        for e in events {
            App.observe(&s, e, before: run)
            run.apply(e)
        }
        return (s, run)
    }

    @Test func onAnEncoderDSaysSamplingNeedsACausalLM() {
        let (s, effects) = press([.char("d")])
        #expect(s.screen == .main && effects.isEmpty)
        #expect(s.message == "sampling needs a causal LM, and all-MiniLM-L6-v2 is not one")
        #expect(App.render(s, run: Fixtures.run(), size: s.size).lines.last?.contains("sampling needs a causal LM") == true)
        #expect(press([.char("d")], run: RunState()).0.message == "no model yet")
    }

    @Test func dOpensThePanelTheJobFollowsItAndEscClosesIt() {
        let (open, opened) = press([.char("d")], run: Self.run)
        #expect(open.screen == .sample && opened == [.engine(.sample(Self.first))] && open.sample.progress == .waiting)
        let (closed, closing) = press([.escape], open, run: Self.run)
        #expect(closed.screen == .main && closing == [.engine(.stopSampling)] && closed.sample.request == nil)
        let (again, reopened) = press([.char("d")], closed, run: Self.run)
        #expect(reopened == [.engine(.sample(SampleRequest(id: 2, prompt: GreedySample.defaultPrompt, tokens: GreedySample.defaultTokens)))])
        #expect(press([.ctrl("c")], again, run: Self.run).1 == [.quit])
    }

    @Test func thePromptIsTypedInThePanelAndEnterAsksForIt() {
        // Letters that are keys elsewhere (q, j, d) are text here; Backspace deletes, Ctrl-U clears.
        let (s, effects) = press([.char("d"), .ctrl("u")] + typed("Once upon qjd") + [.backspace, .backspace, .backspace, .right, .enter], run: Self.run)
        #expect(s.screen == .sample && s.sample.prompt == "Once upon " && s.sample.tokens == GreedySample.defaultTokens + SampleView.tokenStep)
        #expect(effects.last == .engine(.sample(SampleRequest(id: 2, prompt: "Once upon ", tokens: GreedySample.defaultTokens + SampleView.tokenStep))))
        #expect(!s.sample.edited)
        let (edited, sent) = press([.char("d"), .char("!")], run: Self.run)
        #expect(edited.sample.edited && sent.count == 1)
        #expect(App.render(edited, run: Self.run, size: edited.size).text.contains("prompt › The capital of France is!_"))
        #expect(press([.char("d")] + Array(repeating: .left, count: 10), run: Self.run).0.sample.tokens == SampleView.tokenRange.lowerBound)
        #expect(press([.char("d")] + Array(repeating: .right, count: 40), run: Self.run).0.sample.tokens == SampleView.tokenRange.upperBound)
        let (empty, asked) = press([.char("d"), .ctrl("u"), .enter], run: Self.run)
        #expect(asked.count == 1 && empty.message == "type a prompt first")
        #expect(App.render(empty, run: Self.run, size: empty.size).text.contains("type a prompt, then ⏎"))
    }

    @Test func thePanelFollowsTheJobsSampleEvents() throws {
        let text = { (s: AppState, run: RunState) in App.render(s, run: run, size: s.size).text }
        let (waiting, run) = panel(after: [])
        #expect(text(waiting, run).contains("generating… once 1.attention.self.value is solved"))
        var paused = run
        paused.apply(.paused(true))
        #expect(text(waiting, paused).contains("waits for the paused solver"))
        let (started, _) = panel(after: [.sampleStarted(Self.first)])
        #expect(started.sample.progress == .generating && text(started, run).contains("generating…") && !text(started, run).contains("once"))
        let (done, doneRun) = panel(after: [.sampleStarted(Self.first), .sampleFinished(Self.first, Self.sample)])
        let frame = text(done, doneRun)
        #expect(frame.contains("Sample · greedy · after 8/36 layers quantized") && frame.contains("Paris, the city of light."))
        #expect(frame.contains("a new sample follows every solve while this is open"))
        // A layer finishes: the job samples again on its own; the last sample stays until the next comes.
        let ninth = Fixtures.summary(Fixtures.info.layers[8], 8)
        var newer = Self.sample
        newer.quantized = " Lyon."
        let (again, againRun) = panel(after: [.sampleFinished(Self.first, Self.sample), .layerFinished(ninth), .sampleStarted(Self.first)])
        #expect(again.sample.progress == .generating && text(again, againRun).contains("Paris, the city of light."))
        let (updated, updatedRun) = panel(after: [.sampleFinished(Self.first, Self.sample), .layerFinished(ninth), .sampleStarted(Self.first),
                                                  .sampleFinished(Self.first, newer)])
        #expect(text(updated, updatedRun).contains("after 9/36 layers quantized") && text(updated, updatedRun).contains("Lyon."))
        // Answers to an earlier request are dropped; a failure of the followed one is shown.
        var (asked, _) = press([.char("d"), .char("!"), .enter], run: Self.run)
        App.observe(&asked, .sampleFinished(Self.first, newer), before: Self.run)
        #expect(asked.sample.sample == nil && asked.sample.progress == .waiting)
        let second = try #require(asked.sample.request)
        App.observe(&asked, .sampleFailed(second, message: "the prompt has 130 tokens, the model 128 positions"), before: Self.run)
        #expect(text(asked, Self.run).contains("cannot sample: the prompt has 130 tokens, the model 128 positions"))
    }

    @Test(arguments: [(Size(width: 120, height: 40), GlyphSet.unicode), (Size(width: 80, height: 24), GlyphSet.ascii)])
    func snapshot(size: Size, glyphs: GlyphSet) {
        let (s, run) = panel(after: [.sampleStarted(Self.first), .sampleFinished(Self.first, Self.sample)], size: size, glyphs: glyphs)
        let name = "sample-\(size.width)x\(size.height)" + (glyphs.unicode ? "" : "-ascii")
        assertSnapshot(App.render(s, run: run, size: size).framedText, named: name)
    }
}
