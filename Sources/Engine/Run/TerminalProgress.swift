import Foundation

/// A headless run's progress on stderr: the lines of `ProgressLine`, and on a TTY a one-line bar
/// redrawn between them (the active layer's sweep and rel_err, or the calibration step).
public final class TerminalProgress: @unchecked Sendable {
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var barShown = false

    public init() {}

    /// Writes a line of its own.
    public func note(_ s: String) {
        lock.lock(); defer { lock.unlock() }
        clearBar()
        write(s + "\n")
    }

    /// Shows one event of a run whose state (with the event applied) is `state`.
    public func show(_ event: EngineEvent, state: RunState) {
        if let line = ProgressLine.text(for: event, in: state) { note(line) } else { drawBar(state) }
    }

    /// Clears the bar before other output follows.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        clearBar()
    }

    private func drawBar(_ state: RunState) {
        lock.lock(); defer { lock.unlock() }
        guard tty, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let total = max(state.layers.count, 1), done = state.finished.count
        let cells = 24, filled = cells * done / total
        var line = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + "] \(done)/\(total)"
        if let name = state.activeLayer, let row = state.layers.first(where: { $0.info.name == name }), let last = row.sweeps.last {
            line += "  \(name) \(last.step)/\(last.totalSteps) rel_err \(ProgressLine.scientific(last.relativeError))"
        } else if let c = state.calibration {
            line += "  calibrating \(c.label): \(c.done)/\(c.total)"
        }
        if state.paused { line += "  (paused)" }
        write("\r\u{1B}[2K" + line)
        barShown = true
    }

    private func clearBar() {
        if barShown { write("\r\u{1B}[2K"); barShown = false }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
