import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

private let demoPresent = FileManager.default.fileExists(atPath: KnownModel.miniLM.directory.appendingPathComponent("model.safetensors").path)

/// QDEC from the workbench on the real model: the layers the run quantized so far, compensated.
@Suite(.enabled(if: demoPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable the MiniLM QDEC job test"))
struct ModelWorkCompensationTests {
    @Test func aSweepBeforeAnyLayerFailsAndOneAfterTheRunCompensatesItsLayers() async throws {
        let recipe = try RecipeParser.parse("""
        name: test
        calibration: {samples: 4, sequence_length: 16}
        layers: {blocks: 0-0}
        method: {name: rtn, bits: 3}
        """)
        // Wrapped as the workbench wraps it: the sweep reaches the model through the tracked work.
        let job = Job(work: TrackedWork(try ModelWork(recipe: recipe)), keepAlive: true)
        let early = CompensationRequest(id: 1, settings: CompensationSettings(kChunks: [0, 64], positions: 64))
        let late = CompensationRequest(id: 2, settings: early.settings)
        job.send(.compensate(early))
        let status = job.start()
        var state = RunState()
        var failures: [String] = [], told: [CompensationProgress] = []
        var sweep: CompensationSweep? = nil
        for await e in job.events {
            state.apply(e)
            switch e {
            case let .compensationFailed(r, message) where r == early: failures.append(message)
            case .runFinished: job.send(.compensate(late))
            case let .compensationProgress(r, p) where r == late: told.append(p)
            case let .compensationFinished(r, s) where r == late:
                sweep = s
                job.send(.quit)
            case .compensationFailed, .compensationCancelled: job.send(.quit)
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(failures == ["no layer is quantized yet"])
        let result = try #require(sweep)
        #expect(told.map(\.done) == [1, 2] && told.last?.total == 2)
        #expect(result.kind == "embedding" && result.points.map(\.kChunk) == [0, 64])
        // The six layers of block 0 are compensated; fetching channels brings the output error down.
        #expect(result.points[1].layers.count == 6)
        #expect(result.points[1].compensatedError < result.points[0].compensatedError)
        #expect(state.compensation?.status == .finished && state.compensation?.request == late)
    }
}
