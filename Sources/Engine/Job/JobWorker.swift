import Foundation
import ModelKit
import QuantCore

/// The job's worker thread: does what the machine asks, one action at a time, and emits the events. It is the
/// only thread that solves, changes the model's weights or samples the model, so a sample never sees a
/// solve replace weights under it.
struct JobWorker {
    let work: any QuantizationWork
    let finished: [String: FinishedLayer]
    let tuned: [Int: TunedBlock]
    let control: JobControl
    let events: EventBuffer
    let onOutcome: @Sendable (LayerOutcome, Bool) -> Void
    let onTuned: @Sendable (TunedBlock, [String: QuantizedLayer<Float>]) -> Void

    /// Runs until the machine says stop; returns how the run ended.
    func run() -> RunStatus {
        var status = RunStatus.cancelled
        while true {
            switch control.nextAction() {
            case .startRun: startRun()
            case .runBlock: runBlock()
            case let .solve(request):
                solve(request)
                events.append(.requestEnded(request))
                control.receive(.solveDone)
            case let .sample(request): sample(request)
            case let .compensate(request): compensate(request)
            case let .allocate(budget): allocate(budget)
            case let .endRun(s):
                status = s
                events.append(.runFinished(s))
            case .stop:
                events.finish()
                return status
            }
        }
    }

    private func startRun() {
        events.append(.runStarted(work.info))
        if let plan = work.allocation { events.append(.allocated(plan)) }
        for kept in work.info.layers.compactMap({ finished[$0.name] }) { replay(kept) }
        for block in tuned.keys.sorted() { events.append(.blockTuned(tuned[block]!.summary)) }
        do { try work.begin(finished: finished.mapValues(\.layer), tuned: tuned) } catch { fail(error) }
    }

    /// A layer kept from an interrupted run, told as if it had just been solved.
    private func replay(_ kept: FinishedLayer) {
        kept.sweeps.forEach { events.append(.sweepFinished(layer: kept.summary.name, progress: $0)) }
        events.append(.layerFinished(kept.summary))
        kept.comparisons.forEach { events.append(.comparisonFinished($0)) }
    }

    private func runBlock() {
        do {
            let more = try work.runNextBlock(onEvent: handle, isCancelled: isCancelled)
            control.receive(.blockDone(moreBlocks: more))
        } catch { fail(error) }
    }

    private func fail(_ error: any Error) {
        events.append(.error(layer: nil, message: "\(error)"))
        control.receive(.runFailed)
    }

    private func handle(_ event: PipelineEvent) {
        switch event {
        case let .calibrating(progress):
            events.append(.calibrating(progress))
        case let .layerStarted(layer, method, _, _):
            control.resetPauseClock()
            events.append(.layerStarted(layer: layer.name, method: method))
        case let .solverProgress(layer, progress):
            events.append(.sweepFinished(layer: layer.name, progress: withoutPause(progress)))
        case let .comparisonProgress(layer, method, progress):
            events.append(.comparisonSweep(layer: layer.name, method: method, progress: withoutPause(progress)))
        case let .layerFinished(outcome):
            let o = withoutPause(outcome)
            onOutcome(o, true)
            events.append(.layerFinished(o.summary))
            for note in o.result.notes { events.append(.warning("\(o.layer.name): \(note)")) }
            // The layer's weights are in the model: a watched sample is due, and this is a moment between solves
            // (a QDEC sweep asked for meanwhile runs here too, not only after the block).
            control.receive(.weightsChanged)
            if let budget = control.takeDueAllocation() { allocate(budget) }
            if let due = control.takeDueCompensation() { compensate(due) }
            if let due = control.takeDueSample() { sample(due) }
        case let .comparisonFinished(outcome):
            onOutcome(outcome, false)
            events.append(.comparisonFinished(outcome.summary))
        case let .layerCancelled(outcome):
            let o = withoutPause(outcome)
            onOutcome(o, true)
            events.append(.solveCancelled(o.cancellation(replacesMain: true)))
        case let .tuningProgress(progress):
            events.append(.tuningProgress(progress))
        case let .blockTuned(tuned, layers):
            onTuned(tuned, layers)
            events.append(.blockTuned(tuned.summary))
            control.receive(.weightsChanged)
        }
    }

    /// A re-solve (the result becomes the layer's) or a comparison.
    private func solve(_ request: LayerRequest) {
        let name = request.layer, replaces = request.replacesMain, events = self.events
        if replaces { events.append(.layerStarted(layer: name, method: request.method)) }
        control.resetPauseClock()
        let control = self.control
        let solverControl = SolverControl(report: { p in
            let progress = Self.subtracting(control.paused, from: p)
            events.append(replaces ? .sweepFinished(layer: name, progress: progress) : .comparisonSweep(layer: name, method: request.method, progress: progress))
        }, isCancelled: isCancelled)
        do {
            let outcome = withoutPause(try work.solve(layer: name, method: request.method, control: solverControl))
            if outcome.result.cancelled {
                onOutcome(outcome, replaces)
                events.append(.solveCancelled(outcome.cancellation(replacesMain: replaces)))
                return
            }
            if replaces {
                try work.adopt(outcome)
                control.receive(.weightsChanged)
            }
            onOutcome(outcome, replaces)
            events.append(replaces ? .layerFinished(outcome.summary) : .comparisonFinished(outcome.summary))
        } catch let unavailable as LayerUnavailable {
            events.append(.unavailable(layer: unavailable.layer, reason: unavailable.reason))
        } catch {
            let message = "\(request.method.summary): \(error)"
            events.append(replaces ? .error(layer: name, message: message) : .error(layer: nil, message: "\(name): \(message)"))
        }
    }

    /// Generates the watched sample; one superseded meanwhile (another prompt, the panel closed, quit) stops
    /// between two tokens and is not told.
    private func sample(_ request: SampleRequest) {
        events.append(.sampleStarted(request))
        let control = self.control
        do {
            events.append(.sampleFinished(request, try work.sample(request, isCancelled: { control.supersedes(request) })))
        } catch is CancellationError {
            return
        } catch {
            events.append(.sampleFailed(request, message: "\(error)"))
        }
    }

    /// Chooses every layer's configuration again under `budget` and tells the new plan (a warning when the run
    /// has no allocation).
    private func allocate(_ budget: Double) {
        do { events.append(.allocated(try work.allocate(budget: budget))) } catch { events.append(.warning("cannot allocate for \(budget) bits/weight: \(error)")) }
    }

    /// Runs the QDEC sweep over the layers quantized so far, telling each point; a cancel stops it between
    /// two evaluations (the points so far were told).
    private func compensate(_ request: CompensationRequest) {
        events.append(.compensationStarted(request))
        let control = self.control, events = self.events
        do {
            let sweep = try work.compensationSweep(request.settings, isCancelled: { control.supersedes(request) },
                                                   onProgress: { events.append(.compensationProgress(request, $0)) })
            events.append(sweep.points.count < request.points ? .compensationCancelled(request) : .compensationFinished(request, sweep))
        } catch {
            events.append(.compensationFailed(request, message: "\(error)"))
        }
    }

    /// The solver's check: holds while paused, says whether to stop.
    private var isCancelled: @Sendable () -> Bool {
        let control = self.control, events = self.events
        return { control.checkpoint { events.append(.paused($0)) } }
    }

    private func withoutPause(_ progress: SolverProgress) -> SolverProgress { Self.subtracting(control.paused, from: progress) }

    private func withoutPause(_ outcome: LayerOutcome) -> LayerOutcome {
        var o = outcome
        o.result.seconds = max(0, o.result.seconds - control.paused)
        return o
    }

    static func subtracting(_ paused: Double, from progress: SolverProgress) -> SolverProgress {
        var p = progress
        p.elapsed = max(0, p.elapsed - paused)
        return p
    }
}
