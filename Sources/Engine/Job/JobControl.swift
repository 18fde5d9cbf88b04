import Foundation
import QuantCore
import Synchronization

/// The worker's view of the commands: flags it polls between sweeps and a queue of re-solves.
/// Shared between the command pump and the worker through a mutex; never held while solving.
final class JobControl: Sendable {
    private struct State {
        var paused = false
        var cancelled = false
        var queue: [EngineCommand] = []
    }
    private let state = Mutex(State())

    func apply(_ command: EngineCommand) {
        state.withLock { s in
            switch command {
            case .pause: s.paused = true
            case .resume: s.paused = false
            case .cancel: s.cancelled = true; s.paused = false
            case .resolve, .compare: s.queue.append(command)
            }
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }
    var isPaused: Bool { state.withLock { $0.paused } }

    var hasQueued: Bool { state.withLock { !$0.queue.isEmpty } }

    /// The next queued re-solve or comparison.
    func nextQueued() -> EngineCommand? {
        state.withLock { s in s.queue.isEmpty ? nil : s.queue.removeFirst() }
    }

    /// Blocks the worker while paused (polling, so a cancel or resume is seen within 20 ms). `announce`
    /// hears `true` when the worker stops and `false` when it goes on.
    func waitWhilePaused(announce: (Bool) -> Void) {
        guard isPaused && !isCancelled else { return }
        announce(true)
        while isPaused && !isCancelled { Thread.sleep(forTimeInterval: 0.02) }
        announce(false)
    }
}
