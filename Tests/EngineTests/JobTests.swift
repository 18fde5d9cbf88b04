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
    /// Called on the worker after each solver report (a test holds the solve there, or sends a command).
    let onSweep: (@Sendable (String, SolverProgress) -> Void)?

    /// Every layer is also solved with these right after its own solve, as the model pipeline does.
    let compare: [LayerMethod]
    /// Called at the start of `sample` with its cancellation check (a test holds a sample there).
    var onSample: ((SampleRequest, () -> Bool) -> Void)? = nil
    /// Whether `sample` was ever called while a solve was under way.
    private(set) var sampledDuringASolve = false
    /// The "model": each layer's bits once its result went in (the run's solve, an adopted re-solve).
    private var inModel: [String: Int] = [:]
    private var solving = false

    /// Layers solved by one `runNextBlock`, as a transformer block holds several linears.
    let layersPerBlock: Int

    init(method: LayerMethod, compare: [LayerMethod] = [], layersPerBlock: Int = 1, hold: SweepHold? = nil,
         onSweep: (@Sendable (String, SolverProgress) -> Void)? = nil) {
        self.compare = compare
        self.layersPerBlock = layersPerBlock
        problems = (0..<3).map { SyntheticProblem(rows: 32, cols: 64, tokens: 256, seed: UInt64($0)).make(name: "\($0).mlp") }
        layers = (0..<3).map { LinearLayer(name: "\($0).mlp", tensorName: "b.\($0).w", biasName: nil, block: $0, outFeatures: 32, inFeatures: 64, storedTransposed: false) }
        self.method = method
        self.onSweep = onSweep ?? hold.map { hold in { @Sendable in hold.wait($0, $1) } }
    }

    var info: RunInfo {
        RunInfo(model: "synthetic", architecture: "none", blocks: 3, layers: layers.map { LayerInfo(name: $0.name, block: $0.block, rows: 32, cols: 64) },
                method: method, pipeline: "synthetic", calibration: "seeded")
    }

    /// The layers left, `layersPerBlock` per block; a block's layers are calibrated when it runs.
    private var queue: [Int] = []
    /// nil outside a run (a test solving a layer directly): every layer counts as calibrated.
    private var calibrated: Set<String>? = nil

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {
        queue = layers.indices.filter { finished[layers[$0].name] == nil }
        calibrated = Set(finished.keys)
    }

    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        guard !queue.isEmpty, !isCancelled() else { return false }
        let block = queue.prefix(layersPerBlock)
        queue.removeFirst(block.count)
        for i in block {
            let layer = layers[i]
            calibrated?.insert(layer.name)
            onEvent(.layerStarted(layer: layer, method: method, index: i, total: layers.count))
            let o = try withoutActuallyEscaping(onEvent) { emit in
                try outcome(i, method: method, control: SolverControl(isCancelled: isCancelled),
                            progress: { emit(.solverProgress(layer: layer, progress: $0)) })
            }
            guard !o.result.cancelled else { onEvent(.layerCancelled(o)); return false }
            inModel[layer.name] = o.result.layer.bits
            onEvent(.layerFinished(o))
            for other in compare {
                let o = try withoutActuallyEscaping(onEvent) { emit in
                    try outcome(i, method: other, control: .silent, progress: { emit(.comparisonProgress(layer: layer, method: other, progress: $0)) })
                }
                onEvent(.comparisonFinished(o))
            }
        }
        return !queue.isEmpty
    }

    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        guard calibrated?.contains(layer) ?? true, let i = layers.firstIndex(where: { $0.name == layer }) else {
            throw LayerUnavailable(layer: layer, reason: "its Σ comes when the run reaches its block")
        }
        return try outcome(i, method: method, control: control, progress: control.report)
    }

    func adopt(_ outcome: LayerOutcome) throws { inModel[outcome.layer.name] = outcome.result.layer.bits }

    /// The layers in the model with their bits, as the quantized continuation (`0.mlp@3 1.mlp@4`).
    func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample {
        if solving { sampledDuringASolve = true }
        onSample?(request, isCancelled)
        if isCancelled() { throw CancellationError() }
        let held = layers.compactMap { l in inModel[l.name].map { "\(l.name)@\($0)" } }
        return GreedySample(prompt: request.prompt, referenceLabel: "FP32", reference: "reference", quantized: held.joined(separator: " "))
    }

    private func outcome(_ i: Int, method: LayerMethod, control: SolverControl, progress: @escaping (SolverProgress) -> Void) throws -> LayerOutcome {
        solving = true
        defer { solving = false }
        let sink = UncheckedBox(progress), onSweep = onSweep, name = layers[i].name
        let r = try method.solve(problems[i], control: SolverControl(report: { p in sink.value(p); onSweep?(name, p) },
                                                                 isCancelled: control.isCancelled))
        let deq = r.layer.dequantized()
        return LayerOutcome(layer: layers[i], method: method, result: r,
                            relativeError: Objective.relativeError(weights: problems[i].weights, quantized: deq, hessian: problems[i].hessian),
                            tokens: 256, dequantized: deq)
    }
}

/// Holds one solve after the sweep it names until the test releases it, so a command the test sends on
/// that sweep's event lands while the solver is still in that layer, however late the consumer sees the
/// event. Only a real hang reaches the timeout.
final class SweepHold: @unchecked Sendable {
    private let at: (String, SolverProgress) -> Bool
    private let gate = DispatchSemaphore(value: 0)
    private let held = Mutex(false)

    init(at: @escaping (String, SolverProgress) -> Bool) { self.at = at }

    /// Called by the solver after each report: waits once, at the named sweep.
    func wait(_ layer: String, _ progress: SolverProgress) {
        guard at(layer, progress), held.withLock({ was in defer { was = true }; return !was }) else { return }
        if gate.wait(timeout: .now() + 120) == .timedOut { Issue.record("the test never released \(layer)") }
    }

    /// Lets the held solve go on (before or after it reaches the hold).
    func release() { gate.signal() }
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
        let job = Job(work: SyntheticWork(method: Self.quantease, compare: [rtn, .gptq(try GPTQOptions(grid: try GridOptions(bits: 3)))]))
        let status = job.start()
        var state = RunState()
        for await e in job.events { state.apply(e) }
        #expect(await status.value == .completed)
        #expect(state.layers.allSatisfy { $0.comparisons.map(\.method.summary) == ["RTN 3-bit", "GPTQ 3-bit"] })
        #expect(state.layers.allSatisfy { $0.summary!.relErr < $0.comparisons[0].relErr })
    }

    @Test func cancelKeepsFinishedLayersAndResumeSkipsThem() async throws {
        let hold = SweepHold { layer, p in layer == "1.mlp" && p.step == 1 }
        let work = SyntheticWork(method: Self.quantease, compare: [.rtn(try GridOptions(bits: 3))], hold: hold)
        let saved = Mutex<[String]>([])
        let job = Job(work: work, onOutcome: { o, replaces in if replaces && !o.result.cancelled { saved.withLock { $0.append(o.layer.name) } } })
        let status = job.start()
        var state = RunState()
        var kept: [String: FinishedLayer] = [:]
        for await e in job.events {
            state.apply(e)
            if case .sweepFinished("1.mlp", _) = e { job.send(.cancel); hold.release() }
        }
        #expect(await status.value == .cancelled)
        #expect(state.status == .cancelled && state.isIncomplete && state.finished.map(\.name) == ["0.mlp"])
        // The layer cut short is cancelled, not done, and is not saved as a result.
        guard case let .cancelled(k, n) = state.layers[1].phase else { Issue.record("1.mlp is \(state.layers[1].phase)"); return }
        #expect(k < n && n == 4 && state.layers[1].summary == nil && saved.withLock { $0 } == ["0.mlp"])
        // The finished layer was compared before the cut, so an interrupted run keeps its comparison.
        #expect(state.layers[0].comparisons.map(\.method.name) == ["rtn"])
        let fresh = SyntheticWork(method: Self.quantease)
        try fresh.begin(finished: [:], tuned: [:])
        _ = try fresh.runNextBlock(onEvent: { _ in }, isCancelled: { false })
        let first = try fresh.solve(layer: "0.mlp", method: Self.quantease, control: .silent)
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
        job.send(.pause)
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
                if p { job.send(.resume) }
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
                job.send(.resolve(layer: "0.mlp", method: four))
                job.send(.compare(layer: "0.mlp", method: .gptq(try GPTQOptions(grid: try GridOptions(bits: 4)))))
            case let .comparisonFinished(s) where s.name == "0.mlp":
                job.send(.quit)
            default: break
            }
        }
        #expect(await status.value == .completed)
        let row = state.layers[0]
        #expect(row.summary?.bits == 4 && row.sweeps.count == 2)
        #expect(row.comparisons.map(\.bits) == [3, 4] && row.comparisons.last?.method.name == "gptq")
        #expect(row.summary!.relErr < row.comparisons[0].relErr)
    }

    @Test func aComparisonStreamsItsSweepsBesideTheLayersOwn() async throws {
        // Bug: a comparison's solver reports were dropped, so an iterative comparison showed only its final value.
        let job = Job(work: SyntheticWork(method: Self.quantease), keepAlive: true)
        let status = job.start()
        var state = RunState()
        let compared = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 3))
        var streamed: [Int] = []
        for await e in job.events {
            state.apply(e)
            switch e {
            case .runFinished(.completed): job.send(.compare(layer: "0.mlp", method: compared))
            case let .comparisonSweep(layer, method, p):
                #expect(layer == "0.mlp" && method == compared)
                streamed.append(p.step)
            case let .comparisonFinished(s) where s.name == "0.mlp" && s.method == compared: job.send(.quit)
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(streamed == [1, 2, 3])
        let row = state.layers[0]
        #expect(row.comparisonCurve(of: compared)?.sweeps.map(\.step) == [1, 2, 3])
        #expect(row.sweeps.count == 4 && row.sweeps.allSatisfy { $0.totalSteps == 4 }, "the layer's own curve is the run's")
        #expect(row.comparisons.last?.method == compared)
    }

    @Test func recipeComparisonsStreamTheirSweepsToo() async throws {
        let iterative = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 2))
        let job = Job(work: SyntheticWork(method: Self.quantease, compare: [.rtn(try GridOptions(bits: 3)), iterative]))
        let status = job.start()
        var state = RunState()
        for await e in job.events { state.apply(e) }
        #expect(await status.value == .completed)
        #expect(state.layers.allSatisfy { $0.comparisonCurve(of: iterative)?.sweeps.count == 2 && $0.comparisons.count == 2 })
    }

    @Test func aCancelledResolveLeavesTheJobServing() async throws {
        // Bug: after a cancel nothing solved again until restart. The cancel ends only the current work.
        let hold = SweepHold { layer, p in layer == "1.mlp" && p.totalSteps == 200 && p.step == 1 }
        let job = Job(work: SyntheticWork(method: Self.quantease, hold: hold), keepAlive: true)
        let status = job.start()
        let long = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 200))
        let short = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 4), sweeps: 2))
        var state = RunState()
        var cancels: [CancelledSolve] = []
        var ended: [LayerRequest] = []
        for await e in job.events {
            state.apply(e)
            switch e {
            case .runFinished(.completed): job.send(.resolve(layer: "1.mlp", method: long))
            case let .sweepFinished("1.mlp", p) where p.totalSteps == 200 && p.step == 1: job.send(.cancel); hold.release()
            case let .solveCancelled(c):
                cancels.append(c)
                #expect(state.layers[1].phase == .cancelled(after: c.step, of: 200))
                job.send(.resolve(layer: "1.mlp", method: short))
            case let .requestEnded(r):
                ended.append(r)
                if r.method == short { job.send(.quit) }
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(cancels.count == 1 && cancels[0].replacesMain && cancels[0].step < 200)
        #expect(ended.map(\.method) == [long, short])
        #expect(state.layers[1].phase == .done && state.layers[1].summary?.method == short)
        // The cancelled solve is no result: the comparison kept is the run's 3-bit one.
        #expect(state.layers[1].comparisons.map(\.bits) == [3])
    }

    @Test func aCancelledRunKeepsServing() async throws {
        let hold = SweepHold { layer, p in layer == "1.mlp" && p.step == 1 }
        let job = Job(work: SyntheticWork(method: Self.quantease, hold: hold), keepAlive: true)
        let status = job.start()
        var state = RunState()
        for await e in job.events {
            state.apply(e)
            switch e {
            case let .layerFinished(s) where s.name == "0.mlp" && state.status == nil: job.send(.cancel); hold.release()
            case .runFinished(.cancelled): job.send(.resolve(layer: "0.mlp", method: .rtn(try GridOptions(bits: 4))))
            case .requestEnded: job.send(.quit)
            default: break
            }
        }
        #expect(await status.value == .cancelled)
        #expect(state.layers[0].summary?.method.name == "rtn" && state.layers[2].phase == .pending)
    }

    @Test func aLayerNotCalibratedYetIsUnavailableNotFailed() async throws {
        // Sent before the start, the re-solve waits for the first block boundary, when 2.mlp has no Σ yet.
        let job = Job(work: SyntheticWork(method: Self.quantease), keepAlive: true)
        job.send(.resolve(layer: "2.mlp", method: Self.quantease))
        let status = job.start()
        var state = RunState()
        var unavailable: [String] = []
        for await e in job.events {
            state.apply(e)
            if case let .unavailable(layer, _) = e { unavailable.append(layer) }
            if case .runFinished = e { job.send(.quit) }
        }
        _ = await status.value
        #expect(unavailable == ["2.mlp"] && state.errors.isEmpty && state.layers[2].phase == .done)
    }

    @Test func pausedTimeIsNotSolveTime() async throws {
        // The worker itself pauses after the first sweep of the first layer (so no consumer lag lands in the
        // solve); the test resumes a second after the worker says it holds. The layer's time and its sweeps'
        // times leave the pause out (the solve itself takes milliseconds).
        let jobBox = Mutex<Job?>(nil)
        let work = SyntheticWork(method: Self.quantease, onSweep: { layer, p in
            if layer == "0.mlp" && p.step == 1 { jobBox.withLock { $0 }?.send(.pause) }
        })
        let job = Job(work: work)
        jobBox.withLock { $0 = job }
        let status = job.start()
        var state = RunState()
        let clock = ContinuousClock()
        var paused = 0.0
        for await e in job.events {
            state.apply(e)
            if case .paused(true) = e {
                let start = clock.now
                try await Task.sleep(for: .seconds(1))
                let d = clock.now - start
                paused = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
                job.send(.resume)
            }
        }
        #expect(await status.value == .completed)
        #expect(paused >= 1)
        let first = try #require(state.layers.first?.summary)
        #expect(first.seconds < paused / 2 && state.layers[0].sweeps.allSatisfy { $0.elapsed < paused / 2 },
                "\(first.seconds) s, sweeps at \(state.layers[0].sweeps.map(\.elapsed)) s, paused \(paused) s")
    }
}

/// The job's machine alone: inputs in, transitions and asked-for actions out, no threads.
@Suite struct JobMachineTests {
    static let method = LayerMethod.rtn(try! GridOptions(bits: 4))
    static let request = LayerRequest(layer: "1.mlp", method: method, replacesMain: true)

    @Test func aRunGoesBlockByBlockAndEnds() {
        var m = JobMachine(keepAlive: false)
        #expect(m.phase == .starting && m.nextAction() == .startRun)
        #expect(m.nextAction() == .runBlock && m.phase == .running)
        m.receive(.blockDone(moreBlocks: true))
        #expect(m.nextAction() == .runBlock)
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed) && m.state == .finished(.completed))
        #expect(m.nextAction() == .stop)
    }

    @Test func resolvesRunBetweenBlocksNeverInsideOne() {
        var m = JobMachine(keepAlive: false)
        _ = m.nextAction()
        #expect(m.nextAction() == .runBlock)
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        #expect(m.pending.count == 1)
        m.receive(.blockDone(moreBlocks: true))
        #expect(m.nextAction() == .solve(Self.request) && m.state == .solving(Self.request, duringRun: true))
        #expect(m.nextAction() == nil, "one thing at a time")
        m.receive(.solveDone)
        #expect(m.nextAction() == .runBlock)
    }

    @Test func aNewBudgetIsAllocatedBetweenBlocksAfterTheResolvesAndTheLatestWins() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        #expect(m.nextAction() == .runBlock)
        m.receive(.command(.allocate(budget: 3.5)))
        m.receive(.command(.allocate(budget: 3.75)))
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        m.receive(.blockDone(moreBlocks: true))
        #expect(m.nextAction() == .solve(Self.request), "the user's re-solves go first")
        m.receive(.solveDone)
        #expect(m.nextAction() == .allocate(budget: 3.75))
        #expect(m.nextAction() == .runBlock, "once")
        // Within a block the worker takes it after a layer (JobControl), so it is not taken twice.
        m.receive(.command(.allocate(budget: 2.5)))
        #expect(m.takeDueAllocation() == 2.5 && m.takeDueAllocation() == nil)
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed) && m.state == .serving)
        m.receive(.command(.allocate(budget: 3)))
        #expect(m.nextAction() == .allocate(budget: 3) && m.nextAction() == nil, "a served run allocates too")
        m.receive(.command(.allocate(budget: 4)))
        m.receive(.command(.quit))
        #expect(m.nextAction() == .stop, "quitting drops an allocation asked for")
    }

    @Test func cancelEndsTheRunAndAKeptAliveJobServesOn() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        _ = m.nextAction()
        m.receive(.command(.compare(layer: "0.mlp", method: Self.method)))
        m.receive(.command(.cancel))
        #expect(m.shouldStop && m.phase == .cancelling && m.pending.isEmpty)
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.cancelled) && m.state == .serving && !m.shouldStop)
        #expect(m.nextAction() == nil)
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        #expect(m.nextAction() == .solve(Self.request))
    }

    @Test func cancellingAResolveAfterTheRunKeepsServing() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed))
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        m.receive(.command(.resolve(layer: "2.mlp", method: Self.method)))
        #expect(m.nextAction() == .solve(Self.request))
        m.receive(.command(.cancel))
        #expect(m.shouldStop && m.pending.isEmpty, "the scope's queued layers go too")
        m.receive(.solveDone)
        #expect(m.nextAction() == nil && m.phase == .serving && !m.shouldStop)
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        #expect(m.nextAction() == .solve(Self.request) && !m.shouldStop)
    }

    @Test func pauseHoldsTheSolverUntilResumeOrCancel() {
        var m = JobMachine(keepAlive: false)
        _ = m.nextAction()
        m.receive(.command(.pause))
        #expect(m.shouldHold && m.phase == .paused)
        m.receive(.command(.resume))
        #expect(!m.shouldHold)
        m.receive(.command(.pause))
        m.receive(.command(.cancel))
        #expect(!m.shouldHold && m.shouldStop, "a cancel lets a paused solver go, to stop")
    }

    @Test func quitFinishesAKeptAliveJob() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed))
        m.receive(.command(.resolve(layer: "1.mlp", method: Self.method)))
        m.receive(.command(.quit))
        #expect(m.nextAction() == .stop && m.state == .finished(.completed))
    }

    @Test func aFailedBlockEndsTheRunFailed() {
        var m = JobMachine(keepAlive: false)
        _ = m.nextAction()
        _ = m.nextAction()
        m.receive(.runFailed)
        #expect(m.nextAction() == .endRun(.failed))
    }
}
