import CNcursesw
import Glibc
import Synchronization

/// Set by the SIGINT/SIGTERM/SIGHUP handler; the UI loop polls it and leaves through the normal path,
/// so `endwin` runs on the main thread, never inside the handler.
private let terminationSignal = Atomic<Int32>(0)
/// Whether curses owns the terminal (so the exit and crash paths know to restore it).
private let cursesActive = Atomic<Bool>(false)
private let exitHookInstalled = Atomic<Bool>(false)
/// Set by the SIGCONT handler (the program resumed after Ctrl-Z); the UI loop repaints the whole screen.
private let resumed = Atomic<Bool>(false)
/// The fatal signals' actions from before `engage` (the default when none was set), by signal number;
/// written before the handlers that read them are installed.
nonisolated(unsafe) private var fatalPrevious = [Glibc.sigaction](repeating: Glibc.sigaction(), count: 32)
nonisolated(unsafe) private var fatalSaved = false

/// Keeps the user's terminal usable whatever happens: termination signals only set a flag; a process
/// exit (`atexit`) and a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restore the
/// terminal, the latter then re-raising the signal with its default action (as htop does).
enum TerminalGuard {
    static var terminationRequested: Bool { terminationSignal.load(ordering: .relaxed) != 0 }
    /// The signal that asked for termination, 0 when none did.
    static var terminationSignalNumber: Int32 { terminationSignal.load(ordering: .relaxed) }

    /// Marks curses as active and installs the handlers.
    static func engage() {
        terminationSignal.store(0, ordering: .relaxed)
        cursesActive.store(true, ordering: .sequentiallyConsistent)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            install(sig) { sig in terminationSignal.store(sig, ordering: .relaxed) }
        }
        // Ctrl-Z is ncurses' own (it leaves curses mode, stops, and re-enters on `fg`); what it cannot know is
        // that our frame diff is stale too, so the resume is flagged for a full repaint.
        install(SIGCONT) { _ in resumed.store(true, ordering: .relaxed) }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            let previous = install(sig) { sig in
                TerminalGuard.restoreIfActive()
                let note = "quantbench: fatal signal, terminal restored\n"
                _ = note.withCString { write(2, $0, strlen($0)) }
                // The action from before `engage` (e.g. the mapped-file handler, which names the file), else the
                // default. A memory fault happens again on return, now reaching that action with its address.
                var action = fatalPrevious[Int(sig)]
                sigaction(sig, &action, nil)
                if sig != SIGSEGV && sig != SIGBUS { raise(sig) }
            }
            // A second `engage` replaced this handler itself: keep the action from before the first.
            if !fatalSaved { fatalPrevious[Int(sig)] = previous }
        }
        fatalSaved = true
        if !exitHookInstalled.exchange(true, ordering: .relaxed) {
            atexit { TerminalGuard.restoreIfActive() }
        }
    }

    /// True once after each resume from a stop (Ctrl-Z, then `fg`).
    static func takeResumed() -> Bool { resumed.exchange(false, ordering: .relaxed) }

    /// Restores the terminal once (later calls do nothing) and puts the default signal actions back.
    static func restoreIfActive() {
        guard cursesActive.exchange(false, ordering: .sequentiallyConsistent) else { return }
        // Mouse reporting off, in case endwin leaves it on for this terminal.
        let off = "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l"
        _ = off.withCString { write(1, $0, strlen($0)) }
        endwin()
    }

    /// Puts back the actions from before `engage` for the signals it took.
    static func release() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGCONT] { signal(sig, SIG_DFL) }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            var action = fatalPrevious[Int(sig)]
            sigaction(sig, &action, nil)
        }
    }

    /// Installs `handler` for `sig` and returns the action it replaces.
    @discardableResult
    private static func install(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void) -> sigaction {
        var action = sigaction(), previous = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(sig, &action, &previous)
        return previous
    }
}
