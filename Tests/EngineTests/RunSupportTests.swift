import Foundation
import QuantCore
import Testing
@testable import Engine

/// The pieces headless runs and the workbench share: the progress lines, the tracked results the
/// workbench exports, and recipes built from flags.
@Suite struct RunSupportTests {
    static let method = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 2))

    @Test func oneLinePerEventWorthALine() throws {
        let work = SyntheticWork(method: Self.method)
        let done = try work.solve(layer: "0.mlp", method: Self.method, control: .silent)
        let events: [EngineEvent] = [.runStarted(work.info), .calibrating(CalibrationProgress(block: 0, done: 3, total: 8)), .calibrating(CalibrationProgress(block: 0, done: 8, total: 8)),
                                     .layerStarted(layer: "0.mlp", method: Self.method),
                                     .sweepFinished(layer: "0.mlp", progress: done.result.history[0]),
                                     .layerFinished(done.summary), .comparisonFinished(done.summary), .warning("w"),
                                     .error(layer: "1.mlp", message: "bad"), .runFinished(.completed)]
        var state = RunState()
        let lines = events.compactMap { e -> String? in state.apply(e); return ProgressLine.text(for: e, in: state) }
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix("run: synthetic (none, 3 blocks, 3 linears) · "))
        #expect(lines[1] == "calibrated block 0 (8 windows)")
        #expect(lines[3].hasPrefix("[1/3] 0.mlp: rel_err "))
        #expect(lines[6] == "error: 1.mlp: bad")
        #expect(lines[7].hasPrefix("run completed: 1/3 layers · median rel_err"))
        #expect(ProgressLine.text(for: .runFinished(.cancelled)) == "run cancelled")
    }

    @Test func trackedWorkKeepsEveryLayersCurrentResultAndMethod() async throws {
        let rtn = LayerMethod.rtn(try GridOptions(bits: 8))
        let work = TrackedWork(SyntheticWork(method: Self.method, compare: [.rtn(try GridOptions(bits: 2))]))
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        for await e in job.events {
            if case .runFinished = e { job.send(.resolve(layer: "2.mlp", method: rtn)) }
            if case let .layerFinished(s) = e, s.bits == 8 { job.send(.quit) }
        }
        #expect(await status.value == .completed)
        let current = work.current
        #expect(current.map(\.layer.summary.name) == ["0.mlp", "1.mlp", "2.mlp"])
        #expect(current.map(\.method) == [Self.method, Self.method, rtn])
        #expect(current[2].layer.layer.bits == 8)
    }

    @Test func aRecipeFromFlagsIsValidatedAndReadsBack() throws {
        let make = { (samples: Int) in
            try Recipe(validating: "q", model: nil, calibrationSource: .demo, samples: samples, sequenceLength: 64, seed: 1,
                       pipeline: PipelineOptions(selection: LayerSelection(patterns: ["*.query"], blocks: 0...1)), method: Self.method, output: "out")
        }
        let recipe = try make(16)
        var again = try RecipeParser.parse(recipe.text)
        again.text = recipe.text
        #expect(again == recipe)
        #expect(throws: RecipeError.self) { try make(0) }
        #expect(Recipe.blockRange("0-3") == 0...3 && Recipe.blockRange("2") == 2...2 && Recipe.blockRange("3-1") == nil && Recipe.blockRange("1-") == nil)
    }
}
