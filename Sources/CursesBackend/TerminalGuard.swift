import CNcursesw
import Glibc
import Synchronization

/// Set by the SIGINT/SIGTERM/SIGHUP handler; the UI loop polls it and leaves through the normal path,
/// so `endwin` runs on the main thread, never inside the handler.
private let terminationSignal = Atomic<Int32>(0)
/// Whether curses owns the terminal (so the exit and crash paths know to restore it).
private let cursesActive = Atomic<Bool>(false)
private let exitHookInstalled = Atomic<Bool>(false)

/// Keeps the user's terminal usable whatever happens: termination signals only set a flag; a process
/// exit (`atexit`) and a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restore the
/// terminal, the latter then re-raising the signal with its default action (as htop does).
enum TerminalGuard {
    static var terminationRequested: Bool { terminationSignal.load(ordering: .relaxed) != 0 }

    /// Marks curses as active and installs the handlers.
    static func engage() {
        terminationSignal.store(0, ordering: .relaxed)
        cursesActive.store(true, ordering: .sequentiallyConsistent)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            install(sig) { sig in terminationSignal.store(sig, ordering: .relaxed) }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            install(sig) { sig in
                TerminalGuard.restoreIfActive()
                let note = "quantbench: fatal signal, terminal restored\n"
                _ = note.withCString { write(2, $0, strlen($0)) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        if !exitHookInstalled.exchange(true, ordering: .relaxed) {
            atexit { TerminalGuard.restoreIfActive() }
        }
    }

    /// Restores the terminal once (later calls do nothing) and puts the default signal actions back.
    static func restoreIfActive() {
        guard cursesActive.exchange(false, ordering: .sequentiallyConsistent) else { return }
        // Mouse reporting off, in case endwin leaves it on for this terminal.
        let off = "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l"
        _ = off.withCString { write(1, $0, strlen($0)) }
        endwin()
    }

    /// Puts the default actions back for the signals `engage` took.
    static func release() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { signal(sig, SIG_DFL) }
    }

    private static func install(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(sig, &action, nil)
    }
}
