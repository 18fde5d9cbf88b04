import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

/// A work without layers whose QDEC sweep is scripted: each evaluation is a made-up point, and `hold`
/// keeps an evaluation going until the sweep is cancelled.
private final class ScriptedCompensationWork: QuantizationWork {
    var hold: (_ kChunk: Int) -> Bool = { _ in false }
    var evaluated: [Int] = []

    var info: RunInfo {
        RunInfo(model: "scripted", architecture: "none", blocks: 0, layers: [], method: JobTests.quantease, pipeline: "none", calibration: "none")
    }

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {}
    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool { false }
    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        throw LayerUnavailable(layer: layer, reason: "there are no layers")
    }

    func compensationSweep(_ settings: CompensationSettings, isCancelled: () -> Bool,
                           onProgress: (CompensationProgress) -> Void) throws -> CompensationSweep {
        let points = CompensationPlan.run(settings, isCancelled: isCancelled, evaluate: { k, selection in
            evaluated.append(k)
            let deadline = Date().addingTimeInterval(60)
            while hold(k) && !isCancelled() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            return CompensationSweep.Point(kChunk: k, selection: selection, meanCosine: 0.9 + Double(k) / 1000, neighbourAgreement: 1,
                                           perplexity: nil, layers: [], parameters: [:])
        }, progress: onProgress)
        return CompensationSweep(kind: "embedding", samples: 4, calibrationPositions: 16, referencePerplexity: nil, hostBytes: 0,
                                 source: "scripted", points: points)
    }
}

/// The QDEC sweep as a job request: run on the worker, told point by point, cancelled between evaluations.
@Suite struct CompensationJobTests {
    static let settings = CompensationSettings(kChunks: [0, 8, 32], selections: [.bucket, .topKChunk], positions: 16)

    /// Every event of a kept-alive job that is asked for `request` once its run is over, until `stop` says
    /// quit (also asked of each event).
    private func events(of work: any QuantizationWork, request: CompensationRequest,
                        onEvent: (EngineEvent, Job) -> Void = { _, _ in }) async -> [EngineEvent] {
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        var seen: [EngineEvent] = []
        for await e in job.events {
            seen.append(e)
            switch e {
            case .runFinished: job.send(.compensate(request))
            case .compensationFinished, .compensationCancelled, .compensationFailed: job.send(.quit)
            default: onEvent(e, job)
            }
        }
        _ = await status.value
        return seen
    }

    @Test func theJobRunsASweepAndTellsEveryPointAndTheResult() async throws {
        let work = ScriptedCompensationWork()
        let request = CompensationRequest(id: 3, settings: Self.settings)
        let seen = await events(of: work, request: request)
        let told = seen.compactMap { e -> CompensationProgress? in if case let .compensationProgress(r, p) = e, r == request { p } else { nil } }
        #expect(seen.contains(.compensationStarted(request)))
        #expect(told.map(\.done) == [1, 2, 3, 3, 4, 5] && told.allSatisfy { $0.total == 5 })
        #expect(told.map(\.point.kChunk) == [0, 8, 32, 0, 8, 32] && told.map(\.shared) == [false, false, false, true, false, false])
        // Budget 0 is evaluated once for both selections.
        #expect(work.evaluated == [0, 8, 32, 8, 32])
        guard case let .compensationFinished(r, sweep)? = seen.last(where: { if case .compensationFinished = $0 { true } else { false } }) else {
            Issue.record("no result: \(seen)")
            return
        }
        #expect(r == request && sweep.points.count == 6)
        var state = RunState()
        seen.forEach { state.apply($0) }
        #expect(state.compensation?.status == .finished && state.compensation?.points == sweep.points && state.compensation?.done == 5)
    }

    @Test func aCancelStopsTheSweepBetweenTwoEvaluations() async throws {
        let work = ScriptedCompensationWork()
        work.hold = { $0 == 8 }
        let request = CompensationRequest(id: 1, settings: Self.settings)
        let seen = await events(of: work, request: request) { e, job in
            if case let .compensationProgress(_, p) = e, p.point.kChunk == 0 { job.send(.stopCompensation) }
        }
        #expect(seen.contains(.compensationCancelled(request)) && !seen.contains { if case .compensationFinished = $0 { true } else { false } })
        #expect(work.evaluated == [0, 8])
        var state = RunState()
        seen.forEach { state.apply($0) }
        #expect(state.compensation?.status == .cancelled && state.compensation?.points.map(\.kChunk) == [0, 8])
    }

    /// Asked while a block's first layer is being solved, the sweep runs right after that layer, not after the block.
    @Test func aSweepAskedDuringABlockRunsBetweenItsLayers() async throws {
        final class Holder: @unchecked Sendable { var job: Job?; var sent = false }
        let holder = Holder(), request = CompensationRequest(id: 1)
        let work = SyntheticWork(method: JobTests.quantease, layersPerBlock: 3, onSweep: { layer, _ in
            guard layer == "0.mlp", !holder.sent else { return }
            holder.sent = true
            holder.job?.send(.compensate(request))
        })
        let job = Job(work: work, keepAlive: true)
        holder.job = job
        let status = job.start()
        var order: [String] = []
        for await e in job.events {
            switch e {
            case let .layerFinished(s): order.append(s.name)
            case .compensationStarted: order.append("QDEC")
            case let .compensationFailed(_, message): order.append(message)
            case .runFinished: job.send(.quit)
            default: break
            }
        }
        _ = await status.value
        #expect(order == ["0.mlp", "QDEC", "QDEC needs a model to compensate, and synthetic has none", "1.mlp", "2.mlp"])
    }

    @Test func aWorkWithoutAModelSaysWhy() async throws {
        let request = CompensationRequest(id: 1)
        let seen = await events(of: NoCompensationWork(), request: request)
        #expect(seen.contains(.compensationFailed(request, message: "QDEC needs a model to compensate, and layerless has none")))
    }
}

/// A work that keeps the protocol's QDEC: it has no model.
private final class NoCompensationWork: QuantizationWork {
    var info: RunInfo {
        RunInfo(model: "layerless", architecture: "none", blocks: 0, layers: [], method: JobTests.quantease, pipeline: "none", calibration: "none")
    }

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {}
    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool { false }
    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        throw LayerUnavailable(layer: layer, reason: "there are no layers")
    }
}
