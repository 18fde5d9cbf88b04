/// What the workbench loop needs from a terminal. `CursesBackend` implements it over ncurses; tests
/// use an in-memory one.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Waits at most `timeoutMs` for one input (the frame clock); nil on timeout.
    func nextInput(timeoutMs: Int) -> Input?
    /// Writes changed runs of cells and shows the frame.
    func draw(_ runs: [DrawRun])
    /// True once a termination signal (SIGINT, SIGTERM, SIGHUP) arrived; the loop then exits cleanly.
    var terminationRequested: Bool { get }
}
