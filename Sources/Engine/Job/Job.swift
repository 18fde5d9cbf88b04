import Foundation
import ModelKit
import QuantCore

/// Runs a `QuantizationWork` on a worker thread of its own, driven by a `JobMachine`. Commands come in
/// through `send(_:)` (from any thread: the UI, a signal handler); events go out through one buffer,
/// `events`, that a UI drains each frame or an async consumer iterates. The solver never waits for a
/// consumer. Re-solves and comparisons run between two blocks of the run, or after it.
///
/// ```swift
/// let job = Job(work: work)
/// let status = job.start()
/// for await event in job.events { state.apply(event) }
/// ```
public final class Job: Sendable {
    /// Every event of the job, in order; finishes when the job does.
    public let events = EventBuffer()
    private let control: JobControl
    private let work: UncheckedBox<any QuantizationWork>
    private let finished: [String: FinishedLayer]
    private let tuned: [Int: TunedBlock]
    private let onOutcome: @Sendable (LayerOutcome, _ replacesMain: Bool) -> Void
    private let onTuned: @Sendable (TunedBlock, _ layers: [String: QuantizedLayer<Float>]) -> Void

    /// `finished` holds layers done by an earlier, interrupted run (they are not solved again);
    /// `onOutcome` sees every solved layer on the worker, with whether it replaces the layer's main
    /// result (the run folder saves it there; whether a cancelled solve, `outcome.result.cancelled`, is kept
    /// as a marked partial is the hook's choice). `tuned` holds the blocks an earlier run fine-tuned; `onTuned`
    /// sees every block fine-tuned now, with its layers' trained values.
    /// With `keepAlive` (the workbench) the job serves re-solves and comparisons after the run, and
    /// after a cancel, until `quit`. (A recipe's comparison methods are the work's: the pipeline solves
    /// each layer with them right after the layer.)
    public init(work: any QuantizationWork, finished: [String: FinishedLayer] = [:], tuned: [Int: TunedBlock] = [:], keepAlive: Bool = false,
                onOutcome: @escaping @Sendable (LayerOutcome, _ replacesMain: Bool) -> Void = { _, _ in },
                onTuned: @escaping @Sendable (TunedBlock, _ layers: [String: QuantizedLayer<Float>]) -> Void = { _, _ in }) {
        self.work = UncheckedBox(work)
        self.finished = finished
        self.tuned = tuned
        self.control = JobControl(keepAlive: keepAlive)
        self.onOutcome = onOutcome
        self.onTuned = onTuned
    }

    /// Sends a command; pause and cancel take effect at the next sweep, re-solves and comparisons
    /// between two blocks or after the run. Never blocks.
    public func send(_ command: EngineCommand) { control.receive(.command(command)) }

    /// Starts the worker; the task's value is how the run ended, once the job is finished.
    public func start() -> Task<RunStatus, Never> {
        let worker = JobWorker(work: work.value, finished: finished, tuned: tuned, control: control, events: events,
                               onOutcome: onOutcome, onTuned: onTuned)
        let box = UncheckedBox(worker)
        // The worker blocks while it solves, so it gets a thread of its own rather than one of the few
        // threads of the cooperative pool.
        return Task {
            await withCheckedContinuation { (done: CheckedContinuation<RunStatus, Never>) in
                let thread = Thread { done.resume(returning: box.value.run()) }
                thread.name = "quantbench-solver"
                thread.stackSize = 16 << 20
                thread.start()
            }
        }
    }
}

/// Moves a non-Sendable value into a `@Sendable` closure whose use is confined to one thread (the job's
/// worker).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
