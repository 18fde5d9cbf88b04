import Foundation
import QuantCore
import Synchronization
import Testing
@testable import Engine
@testable import ModelKit

/// Three synthetic layers standing in for a model: the same protocol the real pipeline implements.
final class SyntheticWork: QuantizationWork {
    let problems: [LayerProblem<Float>]
    let layers: [LinearLayer]
    let method: LayerMethod
    /// When set, the run waits for it before every layer after the first, so a test can act on the first
    /// layer's events (say, cancel) before the worker goes on.
    let betweenLayers: DispatchSemaphore?

    init(method: LayerMethod, holdBetweenLayers: Bool = false) {
        problems = (0..<3).map { SyntheticProblem(rows: 32, cols: 64, tokens: 256, seed: UInt64($0)).make(name: "\($0).mlp") }
        layers = (0..<3).map { LinearLayer(name: "\($0).mlp", tensorName: "b.\($0).w", biasName: nil, block: $0, outFeatures: 32, inFeatures: 64, storedTransposed: false) }
        self.method = method
        betweenLayers = holdBetweenLayers ? DispatchSemaphore(value: 0) : nil
    }

    var info: RunInfo {
        RunInfo(model: "synthetic", architecture: "none", blocks: 3, layers: layers.map { LayerInfo(name: $0.name, block: $0.block, rows: 32, cols: 64) },
                method: method.summary, pipeline: "synthetic", calibration: "seeded")
    }

    func run(finished: [String: QuantizedLayer<Float>], onEvent: (PipelineEvent) -> Void,
             isCancelled: @escaping @Sendable () -> Bool) throws {
        for (i, layer) in layers.enumerated() where finished[layer.name] == nil {
            // Only a real hang reaches the timeout.
            if i > 0, let gate = betweenLayers, gate.wait(timeout: .now() + 120) == .timedOut { Issue.record("never released") }
            if isCancelled() { break }
            onEvent(.layerStarted(layer: layer, method: method.summary, index: i, total: layers.count))
            let o = try withoutActuallyEscaping(onEvent) { emit in
                try outcome(i, method: method, control: SolverControl(isCancelled: isCancelled),
                            progress: { emit(.solverProgress(layer: layer, progress: $0)) })
            }
            onEvent(.layerFinished(o))
        }
    }

    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        try outcome(layers.firstIndex { $0.name == layer }!, method: method, control: control, progress: control.report)
    }

    private func outcome(_ i: Int, method: LayerMethod, control: SolverControl, progress: @escaping (SolverProgress) -> Void) throws -> LayerOutcome {
        let sink = UncheckedBox(progress)
        let r = try method.solve(problems[i], control: SolverControl(report: { sink.value($0) }, isCancelled: control.isCancelled))
        let deq = r.layer.dequantized()
        return LayerOutcome(layer: layers[i], method: method.summary, result: r,
                            relativeError: Objective.relativeError(weights: problems[i].weights, quantized: deq, hessian: problems[i].hessian),
                            tokens: 256, dequantized: deq)
    }
}

@Suite struct JobTests {
    static let quantease = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 4))

    func collect(_ job: Job) async -> [EngineEvent] {
        var events: [EngineEvent] = []
        for await e in job.events { events.append(e) }
        return events
    }

    @Test func streamsTheWholeRunInOrder() async throws {
        let saved = Mutex<[String]>([])
        let job = Job(work: SyntheticWork(method: Self.quantease), onOutcome: { o, _ in saved.withLock { $0.append(o.layer.name) } })
        let status = job.start()
        let events = await collect(job)
        #expect(await status.value == .completed)
        var state = RunState()
        events.forEach { state.apply($0) }
        #expect(state.status == .completed && state.finished.count == 3 && !state.isIncomplete)
        #expect(state.layers.allSatisfy { $0.sweeps.count == 4 })
        #expect(saved.withLock { $0 } == ["0.mlp", "1.mlp", "2.mlp"])
        guard case .runStarted = events.first, case .runFinished(.completed) = events.last else { Issue.record("bad framing"); return }
    }

    @Test func comparesEveryLayerWithTheRecipesOtherMethods() async throws {
        let rtn = LayerMethod.rtn(try GridOptions(bits: 3))
        let job = Job(work: SyntheticWork(method: Self.quantease), compare: [rtn, .gptq(try GPTQOptions(grid: try GridOptions(bits: 3)))])
        let status = job.start()
        var state = RunState()
        for await e in job.events { state.apply(e) }
        #expect(await status.value == .completed)
        #expect(state.layers.allSatisfy { $0.comparisons.map(\.method) == ["RTN 3-bit", "GPTQ 3-bit"] })
        #expect(state.layers.allSatisfy { $0.summary!.relErr < $0.comparisons[0].relErr })
    }

    @Test func cancelKeepsFinishedLayersAndResumeSkipsThem() async throws {
        let work = SyntheticWork(method: Self.quantease, holdBetweenLayers: true)
        let job = Job(work: work)
        let status = job.start()
        var state = RunState()
        var kept: [String: FinishedLayer] = [:]
        for await e in job.events {
            state.apply(e)
            // The worker waits before layer 1 until the cancel is posted.
            if case let .layerFinished(s) = e, s.name == "0.mlp" { job.post(.cancel); work.betweenLayers?.signal() }
        }
        #expect(await status.value == .cancelled)
        #expect(state.status == .cancelled && state.isIncomplete && state.finished.map(\.name).first == "0.mlp")
        let first = try SyntheticWork(method: Self.quantease).solve(layer: "0.mlp", method: Self.quantease, control: .silent)
        kept["0.mlp"] = FinishedLayer(layer: first.result.layer, summary: first.summary, sweeps: first.result.history)
        let resumed = Job(work: SyntheticWork(method: Self.quantease), finished: kept)
        let resumedStatus = resumed.start()
        var solved: [String] = []
        var resumedState = RunState()
        for await e in resumed.events {
            resumedState.apply(e)
            if case let .layerStarted(l, _) = e { solved.append(l) }
        }
        #expect(await resumedStatus.value == .completed)
        #expect(solved == ["1.mlp", "2.mlp"])
        #expect(resumedState.finished.count == 3 && resumedState.layers[0].sweeps.count == 4)
    }

    @Test func pauseHoldsTheSolver() async throws {
        // Paused before it starts, the worker holds at its first check and says so; the resume goes out only
        // when that announcement arrives, so no sweep may come before it. (Pausing after a sweep event is
        // racy: a lagging consumer may see that event after the layer is done.)
        let job = Job(work: SyntheticWork(method: Self.quantease))
        job.post(.pause)
        let status = job.start()
        var announced: [Bool] = []
        var state = RunState()
        var pausedSeenByState = false
        var sweepsBeforeResume = 0, sweeps = 0
        for await e in job.events {
            state.apply(e)
            pausedSeenByState = pausedSeenByState || state.paused
            switch e {
            case let .paused(p):
                announced.append(p)
                if p { job.post(.resume) }
            case .sweepFinished:
                sweeps += 1
                if announced != [true, false] { sweepsBeforeResume += 1 }
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(announced == [true, false], "the worker says when it stops and when it goes on")
        #expect(pausedSeenByState && !state.paused && sweepsBeforeResume == 0 && sweeps == 12)
    }

    @Test func aKeptAliveJobServesResolvesAndComparisonsAfterTheRun() async throws {
        let job = Job(work: SyntheticWork(method: Self.quantease), keepAlive: true)
        let status = job.start()
        var state = RunState()
        let four = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 2))
        for await e in job.events {
            state.apply(e)
            switch e {
            case .runFinished(.completed):
                await job.send(.resolve(layer: "0.mlp", method: four))
                await job.send(.compare(layer: "0.mlp", method: .gptq(try GPTQOptions(grid: try GridOptions(bits: 4)))))
            case let .comparisonFinished(s) where s.name == "0.mlp":
                await job.send(.cancel)
            default: break
            }
        }
        #expect(await status.value == .completed)
        let row = state.layers[0]
        #expect(row.summary?.bits == 4 && row.sweeps.count == 2)
        #expect(row.comparisons.map(\.bits) == [3, 4] && row.comparisons.last?.method.hasPrefix("GPTQ") == true)
        #expect(row.summary!.relErr < row.comparisons[0].relErr)
    }
}
