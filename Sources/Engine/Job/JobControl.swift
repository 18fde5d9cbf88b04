import Foundation

/// The job's machine behind a condition: `receive` (any thread) changes it and wakes the worker;
/// the worker blocks in `nextAction` until there is something to do, and in `checkpoint` while paused.
/// Nothing polls or sleeps.
final class JobControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var machine: JobMachine
    /// Seconds the worker held paused since `resetPauseClock` (the worker's solve clock leaves them out).
    private var pausedSeconds = 0.0

    init(keepAlive: Bool) { machine = JobMachine(keepAlive: keepAlive) }

    func receive(_ input: JobMachine.Input) {
        condition.lock()
        machine.receive(input)
        condition.broadcast()
        condition.unlock()
    }

    /// The worker's next action, waiting until there is one.
    func nextAction() -> JobMachine.Action {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let action = machine.nextAction() { return action }
            condition.wait()
        }
    }

    /// The solver's check between sweeps: holds while paused (announcing it through `announce`) and
    /// says whether to stop.
    func checkpoint(announce: (Bool) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard machine.shouldHold else { return machine.shouldStop }
        let start = Date()
        condition.unlock()
        announce(true)
        condition.lock()
        while machine.shouldHold { condition.wait() }
        pausedSeconds += Date().timeIntervalSince(start)
        condition.unlock()
        announce(false)
        condition.lock()
        return machine.shouldStop
    }

    /// The watched sample when it is due (`JobMachine.takeDueSample`).
    func takeDueSample() -> SampleRequest? {
        condition.lock()
        defer { condition.unlock() }
        return machine.takeDueSample()
    }

    /// Whether the sample being generated for `request` is no longer wanted.
    func supersedes(_ request: SampleRequest) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return machine.supersedes(request)
    }

    /// The QDEC sweep to begin, when one was asked for (`JobMachine.takeDueCompensation`).
    func takeDueCompensation() -> CompensationRequest? {
        condition.lock()
        defer { condition.unlock() }
        return machine.takeDueCompensation()
    }

    /// The budget to allocate again under, when one was asked for (`JobMachine.takeDueAllocation`).
    func takeDueAllocation() -> Double? {
        condition.lock()
        defer { condition.unlock() }
        return machine.takeDueAllocation()
    }

    /// Whether the QDEC sweep running for `request` is no longer wanted.
    func supersedes(_ request: CompensationRequest) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return machine.supersedes(request)
    }

    func resetPauseClock() {
        condition.lock()
        pausedSeconds = 0
        condition.unlock()
    }

    /// Seconds held paused since the last reset.
    var paused: Double {
        condition.lock()
        defer { condition.unlock() }
        return pausedSeconds
    }
}
