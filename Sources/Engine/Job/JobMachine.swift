import DequeModule

/// The job as a value: what it is doing, whether it is paused or cancelling, the re-solves waiting, and the
/// sample a consumer watches.
/// Commands and the worker's reports go in through `receive`; the free worker asks `nextAction` what to
/// do (nil: wait for the next `receive`). A pause holds the solver at its next check (`shouldHold`),
/// which is also the first thing a block or a solve does. A watched sample is generated when it is due (asked
/// for, or the weights changed since) at the worker's next free moment: between two solves, never in one.
/// No threads or clocks here, so every transition is testable by feeding it inputs (swift-async-algorithms'
/// state machines, DESIGN §6).
///
/// ```swift
/// var m = JobMachine(keepAlive: true)
/// m.nextAction()                    // .startRun
/// m.receive(.command(.cancel))
/// m.receive(.blockDone(moreBlocks: true))
/// m.nextAction()                    // .endRun(.cancelled); then it serves re-solves
/// ```
public struct JobMachine: Sendable, Equatable {
    /// What the worker is doing.
    public enum State: Sendable, Equatable {
        /// Not begun: the run is announced and kept layers replayed first.
        case starting
        /// The run has blocks left; the worker runs one, or goes to the next.
        case running
        /// A re-solve or comparison, between two blocks of the run (`duringRun`) or after it.
        case solving(LayerRequest, duringRun: Bool)
        /// The run is over; waiting for re-solves (a kept-alive job).
        case serving
        case finished(RunStatus)
    }

    /// One word for what the job does, pause and cancel included.
    public enum Phase: String, Sendable, Equatable {
        case starting, running, solving, paused, serving, cancelling, finished
    }

    /// What the machine asks of the worker.
    public enum Action: Sendable, Equatable {
        /// Announce the run, replay the kept layers, prepare the work.
        case startRun
        /// Run the next block of the pipeline.
        case runBlock
        /// Solve a layer on its own (a re-solve or comparison).
        case solve(LayerRequest)
        /// Generate the watched sample of the model as it stands.
        case sample(SampleRequest)
        /// Run the QDEC sweep asked for over the layers quantized so far.
        case compensate(CompensationRequest)
        /// Choose every layer's configuration again under this budget.
        case allocate(budget: Double)
        /// The run ended so; announce it.
        case endRun(RunStatus)
        /// Leave: the job is finished.
        case stop
    }

    /// What the worker reports back.
    public enum Input: Sendable, Equatable {
        case command(EngineCommand)
        /// The worker ran a block; `moreBlocks` says whether the run has another.
        case blockDone(moreBlocks: Bool)
        /// The run could not go on (an error).
        case runFailed
        /// The re-solve or comparison the worker was given is done (finished, cancelled or failed).
        case solveDone
        /// A layer's new weights went into the model (the run's solve, or an adopted re-solve).
        case weightsChanged
    }

    public private(set) var state: State = .starting
    public private(set) var paused = false
    /// The current work stops at the next sweep; the queue was dropped.
    public private(set) var cancelling = false
    public private(set) var pending: Deque<LayerRequest> = []
    /// The sample a consumer watches, and whether it is due.
    public private(set) var sample: SampleRequest? = nil
    public private(set) var sampleDue = false
    /// The QDEC sweep asked for (nil once cancelled), and whether it is still to be begun.
    public private(set) var compensation: CompensationRequest? = nil
    public private(set) var compensationDue = false
    /// The bits/weight budget to allocate again under, once the worker is free.
    public private(set) var allocationDue: Double? = nil
    private var quitting = false
    private var moreBlocks = true
    private var runOutcome: RunStatus? = nil
    /// After the run, serve re-solves until `quit` (the workbench); otherwise finish with the run.
    public let keepAlive: Bool

    public init(keepAlive: Bool) { self.keepAlive = keepAlive }

    public var phase: Phase {
        switch state {
        case .finished: return .finished
        case _ where cancelling: return .cancelling
        case _ where paused: return .paused
        case .starting: return .starting
        case .running: return .running
        case .solving: return .solving
        case .serving: return .serving
        }
    }

    /// Whether the solver at work should stop now.
    public var shouldStop: Bool { cancelling }

    /// Whether the solver at work should hold at its next check.
    public var shouldHold: Bool { paused && !cancelling && state != .serving }

    public mutating func receive(_ input: Input) {
        switch input {
        case let .command(command): apply(command)
        case let .blockDone(more): moreBlocks = more
        case .runFailed: moreBlocks = false; runOutcome = .failed
        case .solveDone:
            guard case let .solving(_, duringRun) = state else { return }
            state = duringRun ? .running : .serving
        case .weightsChanged:
            sampleDue = sample != nil
        }
    }

    /// The watched sample, when it is due; it is due again after the next weight change or request. The worker
    /// takes it between two solves: here, or right after the run's solve of a layer, inside a block.
    public mutating func takeDueSample() -> SampleRequest? {
        guard sampleDue, let sample else { return nil }
        sampleDue = false
        return sample
    }

    /// Whether a sample being generated is no longer wanted: another one was asked for, the consumer stopped
    /// watching, or the job is quitting.
    public func supersedes(_ request: SampleRequest) -> Bool { sample != request }

    /// Whether a running QDEC sweep is no longer wanted: cancelled, another one asked for, or the job quitting.
    public func supersedes(_ request: CompensationRequest) -> Bool { compensation != request }

    /// The QDEC sweep to begin, once. The worker takes it between two solves: here, or right after the
    /// run's solve of a layer, inside a block.
    public mutating func takeDueCompensation() -> CompensationRequest? {
        guard compensationDue, let compensation else { return nil }
        compensationDue = false
        return compensation
    }

    /// The budget to allocate again under, once (the latest asked for). Taken between two solves, like a QDEC sweep.
    public mutating func takeDueAllocation() -> Double? {
        defer { allocationDue = nil }
        return allocationDue
    }

    private mutating func apply(_ command: EngineCommand) {
        if case .finished = state { return }
        switch command {
        case .pause: paused = true
        case .resume: paused = false
        case .cancel:
            pending.removeAll()
            if state != .serving { cancelling = true }
        case let .resolve(layer, method): pending.append(LayerRequest(layer: layer, method: method, replacesMain: true))
        case let .compare(layer, method): pending.append(LayerRequest(layer: layer, method: method, replacesMain: false))
        case let .sample(request):
            sample = request
            sampleDue = true
        case .stopSampling:
            sample = nil
            sampleDue = false
        case let .compensate(request):
            compensation = request
            compensationDue = true
        case .stopCompensation:
            compensation = nil
            compensationDue = false
        case let .allocate(budget):
            allocationDue = budget
        case .quit:
            quitting = true
            pending.removeAll()
            sample = nil
            sampleDue = false
            compensation = nil
            compensationDue = false
            allocationDue = nil
            if state != .serving { cancelling = true }
        }
    }

    /// What the free worker does next; nil means wait for input. Re-solves and comparisons go first,
    /// between two blocks, then a new budget's allocation, then a QDEC sweep asked for, then a due sample; a cancel ends the run (and a re-solve) at once.
    public mutating func nextAction() -> Action? {
        switch state {
        case .finished:
            return .stop
        case .starting:
            state = .running
            return .startRun
        case .solving:
            return nil
        case .running:
            if !cancelling, runOutcome != .failed, let request = pending.popFirst() {
                state = .solving(request, duringRun: true)
                return .solve(request)
            }
            if cancelling || runOutcome == .failed || !moreBlocks {
                let status: RunStatus = runOutcome ?? (cancelling ? .cancelled : .completed)
                cancelling = false
                state = keepAlive && !quitting ? .serving : .finished(status)
                runOutcome = status
                return .endRun(status)
            }
            if let budget = takeDueAllocation() { return .allocate(budget: budget) }
            if let due = takeDueCompensation() { return .compensate(due) }
            if let due = takeDueSample() { return .sample(due) }
            return .runBlock
        case .serving:
            cancelling = false
            if quitting {
                state = .finished(runOutcome ?? .cancelled)
                return .stop
            }
            if let request = pending.popFirst() {
                state = .solving(request, duringRun: false)
                return .solve(request)
            }
            if let budget = takeDueAllocation() { return .allocate(budget: budget) }
            if let due = takeDueCompensation() { return .compensate(due) }
            return takeDueSample().map { .sample($0) }
        }
    }
}
