import Foundation
import QuantCore
import Testing
@testable import Engine

/// The headless run's save hook: a layer that cannot be saved fails the run, a cancelled solve is not
/// saved as finished unless asked, and comparisons are kept as they finish.
@Suite struct LayerRecorderTests {
    let recipe = try! RecipeParser.parse("name: t\nmethod: {name: quantease, bits: 4, sweeps: 3}\n")

    func outcome(cancelled: Bool = false, method: LayerMethod? = nil) throws -> LayerOutcome {
        let m = method ?? recipe.method
        return try SyntheticWork(method: m).solve(layer: "1.mlp", method: m, control: SolverControl(isCancelled: { cancelled }))
    }

    @Test func aLayerThatCannotBeSavedFailsTheRun() throws {
        let scratch = try ScratchFolder()
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let layers = scratch.file("run/layers")
        try Data("not a folder".utf8).write(to: layers)
        let recorder = LayerRecorder(folder: folder, keepPartial: false)
        recorder.record(try outcome(), replacesMain: true)
        #expect(recorder.hasFailed)
        let events = recorder.take()
        guard case let .error(layer, message)? = events.first else { Issue.record("no error event: \(events)"); return }
        #expect(layer == "1.mlp" && message.contains("could not save"))
        var state = RunState()
        state.apply(.runStarted(SyntheticWork(method: recipe.method).info))
        state.apply(.layerFinished(try outcome().summary))
        events.forEach { state.apply($0) }
        #expect(state.isIncomplete)
    }

    @Test func aCancelledSolveIsNotSavedUnlessPartialResultsAreKept() throws {
        let scratch = try ScratchFolder()
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let recorder = LayerRecorder(folder: folder, keepPartial: false)
        recorder.record(try outcome(cancelled: true), replacesMain: true)
        #expect(try folder.finishedLayers().isEmpty)
        #expect(!recorder.hasFailed)
        guard case let .warning(note)? = recorder.take().first, note.hasPrefix("1.mlp: its solve was cancelled") else { Issue.record("the cancelled layer is not reported"); return }

        let keeping = LayerRecorder(folder: folder, keepPartial: true)
        keeping.record(try outcome(cancelled: true), replacesMain: true)
        #expect(try folder.finishedLayers()["1.mlp"]?.partial == true)
        guard case .warning? = keeping.take().first else { Issue.record("the partial layer is not reported"); return }
    }

    @Test func comparisonsAreSavedAsTheyFinish() throws {
        let scratch = try ScratchFolder()
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let recorder = LayerRecorder(folder: folder, keepPartial: false)
        let rtn = try outcome(method: .rtn(try GridOptions(bits: 4)))
        recorder.record(try outcome(), replacesMain: true)
        recorder.record(rtn, replacesMain: false)
        #expect(try folder.finishedLayers()["1.mlp"]?.comparisons == [rtn.summary])
        #expect(recorder.take().isEmpty)
    }

    @Test func aResumedJobReplaysTheSavedComparisons() async throws {
        let rtn = try outcome(method: .rtn(try GridOptions(bits: 4)))
        let main = try outcome()
        let kept = FinishedLayer(layer: main.result.layer, summary: main.summary, sweeps: main.result.history, comparisons: [rtn.summary])
        let job = Job(work: SyntheticWork(method: recipe.method), finished: ["1.mlp": kept])
        let status = job.start()
        var state = RunState()
        for await e in job.events { state.apply(e) }
        #expect(await status.value == .completed)
        #expect(state.layers.first { $0.info.name == "1.mlp" }?.comparisons == [rtn.summary])
    }
}
