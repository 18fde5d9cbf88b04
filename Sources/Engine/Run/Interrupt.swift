import Dispatch
import Foundation

/// SIGINT, SIGTERM and SIGHUP as a count of presses (SIGTERM and SIGHUP count two), delivered on a dispatch queue, never inside
/// the signal handler. Signals within half a second of the last counted one count once (`timeout -s INT`
/// signals the process and its group, so one press can arrive twice). While it lives the signals do not
/// kill the process; `cancel()` restores them.
public final class Interrupt: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0
    private var last = Date.distantPast

    /// The signals listened to: Ctrl-C, and the ones that ask a program to end.
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Starts listening; `handler` gets the number of presses so far.
    public init(_ handler: @escaping @Sendable (Int) -> Void) {
        // A serial queue of its own gets a thread even when the solver keeps every core busy; on the shared
        // global queue the handler could wait until the run was over, so SIGTERM did nothing.
        let queue = DispatchQueue(label: "quantbench.interrupt")
        for sig in Self.signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                lock.lock()
                let now = Date()
                let counted = now.timeIntervalSince(last) > 0.5
                if counted {
                    count += sig == SIGINT ? 1 : 2
                    last = now
                }
                let n = count
                lock.unlock()
                if counted { handler(n) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops listening and restores the default signal actions.
    public func cancel() {
        sources.forEach { $0.cancel() }
        for sig in Self.signals { signal(sig, SIG_DFL) }
    }
}
