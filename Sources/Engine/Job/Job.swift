import AsyncAlgorithms
import Foundation
import ModelKit
import QuantCore

/// Runs a `QuantizationWork` on a worker thread. Events go out through `events` (an `AsyncChannel`);
/// commands come in through `send(_:)`. The solver never waits for a consumer: its callbacks only append
/// to an unbounded stream that a pump task forwards to the channel.
///
/// ```swift
/// let job = Job(work: work)
/// let status = job.start()
/// for await event in job.events { state.apply(event) }
/// ```
public final class Job: Sendable {
    /// Every event of the run, in order; finishes after `runFinished`.
    public let events = AsyncChannel<EngineEvent>()
    private let commands = AsyncChannel<EngineCommand>()
    private let control = JobControl()
    private let work: UncheckedBox<any QuantizationWork>
    private let finished: [String: FinishedLayer]
    private let onOutcome: @Sendable (LayerOutcome, _ replacesMain: Bool) -> Void
    private let keepAlive: Bool
    private let compare: [LayerMethod]

    /// `finished` holds layers done by an earlier, interrupted run (they are not solved again);
    /// `onOutcome` sees every solved layer on the worker (the run folder saves it there). With
    /// `keepAlive` (the workbench) the job keeps serving re-solves and comparisons after `runFinished`
    /// until it gets `cancel`. Every layer the run solves is also solved with each of `compare` (a recipe's
    /// comparison methods) right after it.
    public init(work: any QuantizationWork, finished: [String: FinishedLayer] = [:], keepAlive: Bool = false,
                compare: [LayerMethod] = [],
                onOutcome: @escaping @Sendable (LayerOutcome, _ replacesMain: Bool) -> Void = { _, _ in }) {
        self.work = UncheckedBox(work)
        self.finished = finished
        self.keepAlive = keepAlive
        self.compare = compare
        self.onOutcome = onOutcome
    }

    /// Sends a command; it takes effect at the next sweep boundary (pause, cancel) or after the current
    /// layer (re-solves and comparisons, which run after the pipeline when it is still running).
    public func send(_ command: EngineCommand) async { await commands.send(command) }

    /// Sends a command without waiting (from a signal handler or a synchronous UI loop).
    public func post(_ command: EngineCommand) { control.apply(command) }

    /// Starts the worker and the pumps; the task's value is how the run ended.
    public func start() -> Task<RunStatus, Never> {
        let (stream, sink) = AsyncStream<EngineEvent>.makeStream(bufferingPolicy: .unbounded)
        let events = self.events, control = self.control, commands = self.commands
        Task.detached {
            for await e in stream { await events.send(e) }
            events.finish()
        }
        Task.detached {
            for await c in commands { control.apply(c) }
        }
        let work = self.work, finished = self.finished, onOutcome = self.onOutcome, keepAlive = self.keepAlive, compare = self.compare
        // The worker blocks while it solves, so it gets a thread of its own rather than one of the few
        // threads of the cooperative pool that the pumps and the consumers need.
        return Task {
            await withCheckedContinuation { (done: CheckedContinuation<RunStatus, Never>) in
                let thread = Thread {
                    let emit: @Sendable (EngineEvent) -> Void = { sink.yield($0) }
                    let status = Self.runWorker(work.value, finished: finished, compare: compare, control: control, emit: emit, onOutcome: onOutcome)
                    sink.yield(.runFinished(status))
                    if keepAlive { Self.serve(work.value, control: control, emit: emit, onOutcome: onOutcome) }
                    sink.finish()
                    commands.finish()
                    done.resume(returning: status)
                }
                thread.name = "quantbench-solver"
                thread.stackSize = 16 << 20
                thread.start()
            }
        }
    }

    /// The worker: the pipeline, then queued re-solves. Synchronous; runs on a detached task.
    static func runWorker(_ work: any QuantizationWork, finished: [String: FinishedLayer], compare: [LayerMethod], control: JobControl,
                          emit: @escaping @Sendable (EngineEvent) -> Void, onOutcome: (LayerOutcome, Bool) -> Void) -> RunStatus {
        emit(.runStarted(work.info))
        for kept in work.info.layers.compactMap({ finished[$0.name] }) {
            kept.sweeps.forEach { emit(.sweepFinished(layer: kept.summary.name, progress: $0)) }
            emit(.layerFinished(kept.summary))
            kept.comparisons.forEach { emit(.comparisonFinished($0)) }
        }
        let cancelled = pausableCancelCheck(control, emit: emit)
        do {
            try work.run(finished: finished.mapValues(\.layer), onEvent: { event in
                switch event {
                case let .calibrating(block, done, total):
                    emit(.calibrating(block: block, done: done, total: total))
                case let .layerStarted(layer, method, _, _):
                    emit(.layerStarted(layer: layer.name, method: method))
                case let .solverProgress(layer, progress):
                    emit(.sweepFinished(layer: layer.name, progress: progress))
                case let .layerFinished(outcome):
                    onOutcome(outcome, true)
                    emit(.layerFinished(outcome.summary))
                    compare.forEach { control.apply(.compare(layer: outcome.layer.name, method: $0)) }
                    for note in outcome.result.notes { emit(.warning("\(outcome.layer.name): \(note)")) }
                    drainQueue(work, control: control, emit: emit, onOutcome: onOutcome)
                }
            }, isCancelled: cancelled)
        } catch {
            emit(.error(layer: nil, message: "\(error)"))
            return .failed
        }
        drainQueue(work, control: control, emit: emit, onOutcome: onOutcome)
        return control.isCancelled ? .cancelled : .completed
    }

    /// The solver's cancellation check: holds the worker while paused (announcing it) and says whether to stop.
    static func pausableCancelCheck(_ control: JobControl, emit: @escaping @Sendable (EngineEvent) -> Void) -> @Sendable () -> Bool {
        return {
            control.waitWhilePaused { emit(.paused($0)) }
            return control.isCancelled
        }
    }

    /// After the run: re-solves and comparisons as they come, until `cancel`.
    static func serve(_ work: any QuantizationWork, control: JobControl, emit: @escaping @Sendable (EngineEvent) -> Void,
                      onOutcome: (LayerOutcome, Bool) -> Void) {
        while !control.isCancelled {
            if control.hasQueued {
                drainQueue(work, control: control, emit: emit, onOutcome: onOutcome)
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Runs the queued re-solves and comparisons.
    static func drainQueue(_ work: any QuantizationWork, control: JobControl, emit: @escaping @Sendable (EngineEvent) -> Void,
                           onOutcome: (LayerOutcome, Bool) -> Void) {
        while !control.isCancelled, let command = control.nextQueued() {
            let (name, method, replaces): (String, LayerMethod, Bool)
            switch command {
            case let .resolve(layer, m): (name, method, replaces) = (layer, m, true)
            case let .compare(layer, m): (name, method, replaces) = (layer, m, false)
            default: continue
            }
            if replaces { emit(.layerStarted(layer: name, method: method.summary)) }
            let solverControl = SolverControl(report: { p in if replaces { emit(.sweepFinished(layer: name, progress: p)) } },
                                              isCancelled: pausableCancelCheck(control, emit: emit))
            do {
                let outcome = try work.solve(layer: name, method: method, control: solverControl)
                if replaces { try work.adopt(outcome) }
                onOutcome(outcome, replaces)
                emit(replaces ? .layerFinished(outcome.summary) : .comparisonFinished(outcome.summary))
            } catch {
                emit(.error(layer: name, message: "\(method.summary): \(error)"))
            }
        }
    }
}

/// Moves a non-Sendable value into a detached task or a `@Sendable` closure whose use is confined to one
/// thread (the job's worker).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
