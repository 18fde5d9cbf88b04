import DequeModule
import Synchronization

/// The one place a job's events wait for their consumer, in order. A frame-driven UI takes everything
/// queued with `drain()`; an async consumer iterates it (`for await e in job.events`). It has one
/// consumer: each event is delivered once. The worker never waits on it.
public final class EventBuffer: AsyncSequence, Sendable {
    public typealias Element = EngineEvent

    private struct State {
        var events: Deque<EngineEvent> = []
        var finished = false
        var waiter: CheckedContinuation<EngineEvent?, Never>? = nil
    }
    private let state = Mutex(State())

    public init() {}

    /// Queues an event (or hands it to a waiting consumer).
    public func append(_ event: EngineEvent) {
        let waiter = state.withLock { s -> CheckedContinuation<EngineEvent?, Never>? in
            guard !s.finished else { return nil }
            if let w = s.waiter { s.waiter = nil; return w }
            s.events.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// No more events come; a waiting consumer ends once the queue is empty.
    public func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<EngineEvent?, Never>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued, oldest first.
    public func drain() -> [EngineEvent] {
        state.withLock { s in
            defer { s.events.removeAll() }
            return Array(s.events)
        }
    }

    /// Whether the buffer is finished and empty: nothing more will come.
    public var isDone: Bool { state.withLock { $0.finished && $0.events.isEmpty } }

    /// The next event, waiting for one; nil after the last.
    func next() async -> EngineEvent? {
        await withCheckedContinuation { (c: CheckedContinuation<EngineEvent?, Never>) in
            let ready = state.withLock { s -> EngineEvent?? in
                if let e = s.events.popFirst() { return .some(e) }
                if s.finished { return .some(nil) }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: EventBuffer
        public mutating func next() async -> EngineEvent? { await buffer.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: self) }
}
