import Foundation
import Glibc
import Synchronization

/// The write end of the pipe the signal handler reports to, −1 while no ``Interrupt`` listens.
private let reportPipe = Atomic<Int32>(-1)

/// SIGINT, SIGTERM and SIGHUP as a count of presses (SIGTERM and SIGHUP count two), delivered on a thread of
/// its own, never inside the signal handler. Signals within half a second of the last counted one count once
/// (`timeout -s INT` signals the process and its group, so one press can arrive twice). While it lives the
/// signals do not kill the process; `cancel()` restores them. One listens at a time.
///
/// The handler only writes the signal's number to a pipe (async-signal-safe, whichever thread the kernel
/// picks). A dispatch signal source is not enough on Linux: it blocks the signal in one thread only, so a
/// signal delivered to a solver or BLAS thread was ignored and the run went on to exit 0.
public final class Interrupt: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var cancelled = false

    /// The signals listened to: Ctrl-C, and the ones that ask a program to end.
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Starts listening; `handler` gets the number of presses so far.
    public init(_ handler: @escaping @Sendable (Int) -> Void) {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        (readEnd, writeEnd) = (ends[0], ends[1])
        reportPipe.store(writeEnd, ordering: .sequentiallyConsistent)
        for sig in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                let fd = reportPipe.load(ordering: .relaxed)
                if fd >= 0 { _ = write(fd, &byte, 1) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        let fd = readEnd
        let listener = Thread {
            var count = 0
            var last = Date.distantPast
            var byte: UInt8 = 0
            while read(fd, &byte, 1) == 1, byte != 0 {
                let now = Date()
                guard now.timeIntervalSince(last) > 0.5 else { continue }
                count += Int32(byte) == SIGINT ? 1 : 2
                last = now
                handler(count)
            }
            close(fd)
        }
        listener.name = "quantbench.interrupt"
        listener.start()
    }

    /// Stops listening and restores the default signal actions.
    public func cancel() {
        lock.lock(); defer { lock.unlock() }
        guard !cancelled else { return }
        cancelled = true
        for sig in Self.signals { signal(sig, SIG_DFL) }
        reportPipe.store(-1, ordering: .sequentiallyConsistent)
        var stop: UInt8 = 0
        _ = write(writeEnd, &stop, 1)
        close(writeEnd)
    }

    /// Ends the process now with `status`, skipping exit handlers: the solver's threads are still running, and
    /// OpenBLAS's exit handler frees buffers they use (a crash on the way out). Output is written unbuffered.
    public static func exitNow(_ status: Int32) -> Never {
        _exit(status)
    }
}
