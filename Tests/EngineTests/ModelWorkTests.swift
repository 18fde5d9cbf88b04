import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

private let demoPresent = FileManager.default.fileExists(atPath: DemoModel.defaultDirectory.appendingPathComponent("model.safetensors").path)

@Suite(.enabled(if: demoPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable the MiniLM pipeline tests"))
struct ModelWorkTests {
    @Test func quantizesTheFirstBlockOfMiniLMOnRealText() async throws {
        let recipe = try RecipeParser.parse("""
        name: test
        calibration: {samples: 8, sequence_length: 32, seed: 1}
        pipeline: {mode: block-sequential, true_sequential: true}
        layers: {blocks: 0-0}
        method: {name: quantease, bits: 4, sweeps: 3, init: gptq, schedule: always-round}
        compare: [rtn]
        """)
        let work = try ModelWork(recipe: recipe)
        #expect(work.windows.count == 8 && work.windows.allSatisfy { $0.count == 32 })
        #expect(work.info.layers.map(\.name) == ["0.attention.self.query", "0.attention.self.key", "0.attention.self.value",
                                                 "0.attention.output.dense", "0.intermediate.dense", "0.output.dense"])
        let job = Job(work: work, keepAlive: true, compare: recipe.compare)
        let status = job.start()
        var state = RunState()
        var calibrationPasses = 0
        for await e in job.events {
            state.apply(e)
            if case .calibrating(_, 8, 8) = e { calibrationPasses += 1 }
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
        let out = state.layers.last!
        #expect(out.summary!.bits == 8 && out.summary!.relErr < 1e-3)
    }
}
