import Foundation
import ModelKit
import QuantCore
import Synchronization
import Testing
@testable import Engine

private let demoPresent = FileManager.default.fileExists(atPath: KnownModel.miniLM.directory.appendingPathComponent("model.safetensors").path)

@Suite(.enabled(if: demoPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable the MiniLM pipeline tests"))
struct ModelWorkTests {
    @Test func quantizesTheFirstBlockOfMiniLMOnRealText() async throws {
        let recipe = try RecipeParser.parse("""
        name: test
        calibration: {samples: 8, sequence_length: 32, seed: 1}
        pipeline: {mode: block-sequential, true_sequential: true}
        layers: {blocks: 0-0}
        method: {name: quantease, bits: 4, sweeps: 3, init: gptq, schedule: always-round}
        compare: [rtn, {name: quantease, sweeps: 2}]
        """)
        let work = try ModelWork(recipe: recipe)
        #expect(work.windows.count == 8 && work.windows.allSatisfy { $0.count == 32 })
        #expect(work.info.layers.map(\.name) == ["0.attention.self.query", "0.attention.self.key", "0.attention.self.value",
                                                 "0.attention.output.dense", "0.intermediate.dense", "0.output.dense"])
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        var state = RunState()
        var calibrationPasses = 0
        for await e in job.events {
            state.apply(e)
            if case let .calibrating(c) = e, c.done == 8, c.total == 8 { calibrationPasses += 1 }
            if case .runFinished = e {
                job.send(.resolve(layer: "0.output.dense", method: .rtn(try GridOptions(bits: 8))))
            }
            if case let .layerFinished(s) = e, s.bits == 8 { job.send(.quit) }
        }
        #expect(await status.value == .completed)
        #expect(calibrationPasses == 4)                 // true-sequential: q/k/v, o, intermediate, output
        let done = state.layers.compactMap(\.summary)
        #expect(done.count == 6)
        #expect(done.allSatisfy { $0.calibrationTokens == 8 * 32 && $0.relErr > 0 })
        let quantease = state.layers.filter { $0.info.name != "0.output.dense" }
        #expect(quantease.allSatisfy { $0.summary!.relErr < $0.comparisons.first { $0.method.name == "rtn" }!.relErr })
        // The recipe's iterative comparison streams its sweeps: a curve per layer, ending at its result.
        let compared = recipe.compare[1]
        #expect(state.layers.allSatisfy { row in
            guard let curve = row.comparisonCurve(of: compared), let result = row.comparisons.first(where: { $0.method == compared }) else { return false }
            return curve.sweeps.map(\.step) == [1, 2] && curve.sweeps.last!.relativeError > 0 && result.relErr > 0
        })
        let out = state.layers.last!
        // 8-bit RTN leaves ≈ (range/255)²/12 of the weight energy, ~1e-4 for ranges of ±6σ per row; 1e-3
        // allows ranges three times wider (a quantization bound, not a rounding one).
        #expect(out.summary!.bits == 8 && out.summary!.relErr < 1e-3)
    }

    @Test func aNewBudgetIsChosenOnTheSameMeasurementsAndTheLayersToComeFollowIt() async throws {
        let recipe = try RecipeParser.parse("""
        name: test
        calibration: {samples: 4, sequence_length: 16, seed: 1}
        layers: {blocks: 0-0}
        method: {name: rtn, bits: 3}
        allocate: {budget: 2.5, candidates: [{bits: 2}, {bits: 4}], sensitivity_windows: 1}
        """)
        let work = try ModelWork(recipe: recipe)
        let first = try #require(work.allocation)
        #expect(first.budget == 2.5 && Set(first.layers.map(\.choice)).count == 2)
        let most = try work.allocate(budget: first.feasibleBudgets.upperBound)
        #expect(most.layers.allSatisfy { $0.choice == 1 } && work.allocation == most)
        #expect(most.layers.map(\.points) == first.layers.map(\.points) && most.layers.map(\.sensitivity) == first.layers.map(\.sensitivity),
                "chosen again, not measured again")
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        var state = RunState()
        var allocated: [Double] = [], warnings: [String] = []
        for await e in job.events {
            state.apply(e)
            switch e {
            case .runFinished: job.send(.allocate(budget: 1))
            case let .warning(w) where w.hasPrefix("cannot allocate"):
                warnings.append(w)
                job.send(.allocate(budget: 2.5))
            case let .allocated(plan):
                allocated.append(plan.budget)
                if allocated.count == 2 { job.send(.quit) }
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(state.layers.count == 6 && state.layers.allSatisfy { $0.summary?.bits == 4 }, "the run took the budget chosen before it began")
        #expect(allocated == [most.budget, 2.5] && state.allocation == first)
        #expect(warnings.count == 1 && warnings[0].contains("below the cheapest candidates"))
    }

    @Test func anInterruptedRunsMeasurementsAreReusedWhenTheyFit() throws {
        let text = """
        name: test
        calibration: {samples: 4, sequence_length: 16, seed: 1}
        layers: {blocks: 0-0}
        method: {name: rtn, bits: 3}
        allocate: {budget: 2.5, candidates: [{bits: 2}, {bits: 4}], sensitivity_windows: 1}
        """
        let recipe = try RecipeParser.parse(text)
        var measuredSteps: [String] = []
        let first = try #require(try ModelWork(recipe: recipe) { measuredSteps.append($0.step) }.allocation)
        #expect(measuredSteps.contains { $0.hasPrefix("measuring error curves") } && measuredSteps.allSatisfy { !$0.isEmpty })
        var steps: [LoadingProgress] = []
        var again = first
        try again.choose(budget: 3.5)
        let reused = try ModelWork(recipe: recipe, measured: again) { steps.append($0) }
        #expect(reused.allocation == again, "the saved budget (a workbench re-allocation's) is chosen again on the saved measurements")
        #expect(steps.map(\.total) == [4, 4, 4, 4] && !steps.contains { $0.step.hasPrefix("measuring") })
        // Other candidates: measured anew.
        let other = try RecipeParser.parse(text.replacingOccurrences(of: "{bits: 4}", with: "{bits: 8}"))
        steps = []
        let remeasured = try ModelWork(recipe: other, measured: first) { steps.append($0) }
        #expect(remeasured.allocation?.candidates == other.allocation?.candidates && steps.last?.total == 5)
    }

    @Test func aRunWhoseLayersCannotBeSavedFailsAndSaysIncomplete() async throws {
        let scratch = try ScratchFolder()
        let output = scratch.file("run")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data().write(to: output.appendingPathComponent(RunFolder.layersFolder))      // `layers` is a file
        var recipe = try RecipeParser.parse("""
        name: test
        calibration: {samples: 4, sequence_length: 16}
        layers: {blocks: 0-0}
        method: {name: rtn, bits: 4}
        """)
        recipe.output = output.path
        let reports = ReportCalls()
        let result = try await HeadlessRun.start(recipe, base: scratch.url, options: .init(), reporter: reports)
        #expect(result.status == .failed)
        #expect(result.state.isIncomplete)
        #expect(result.state.errors.first?.contains("could not save the layer") == true)
        #expect(reports.finals.withLock { $0 } == [.failed])
        // The folder is free again for the next run.
        try RunFolderLock(output).release()
    }
}

/// Records the statuses of the final reports a run asks for.
private final class ReportCalls: RunReporting {
    let finals = Mutex<[RunStatus?]>([])
    func write(_ run: RunRecord, to folder: URL, final: Bool) throws -> [URL] {
        if final { finals.withLock { $0.append(run.state.status) } }
        return []
    }
}
