import Foundation

/// A headless run's progress on stderr: the lines of `ProgressLine`, and on a TTY a one-line bar
/// redrawn between them (the active layer's sweep and rel_err, or the calibration step).
public final class TerminalProgress: @unchecked Sendable {
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var barShown = false
    /// The loading step and tenth of it last written as a line (off a TTY).
    private var lastLoading: (step: Int, tenth: Int?) = (-1, nil)

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

    /// A loading step: the bar on a TTY; otherwise a line per step, and one per tenth of a step that counts its
    /// parts (the allocation's measurements take minutes on a real model).
    public func loading(_ p: LoadingProgress) {
        guard !tty else { return bar(done: p.done, total: p.total, detail: p.step) }
        let tenth = p.part.map { 10 * $0.done / max(1, $0.total) }
        lock.lock()
        let due = p.done != lastLoading.step || tenth != lastLoading.tenth
        if due { lastLoading = (p.done, tenth) }
        lock.unlock()
        if due { note("loading \(p.done + 1)/\(p.total): " + p.step) }
    }

    /// On a TTY, a bar of `done` out of `total` (shown as `count`, e.g. `3/12` or `120/540 MB`) and a detail.
    public func bar(done: Int, total: Int, count: String? = nil, detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        guard tty, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let cells = 24, filled = cells * min(done, max(total, 1)) / max(total, 1)
        let line = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + "] "
            + (count ?? "\(done)/\(total)") + (detail.isEmpty ? "" : "  " + detail)
        write("\r\u{1B}[2K" + line)
        barShown = true
    }

    private func drawBar(_ state: RunState) {
        var detail = ""
        if let name = state.activeLayer, let row = state.layers.first(where: { $0.info.name == name }), let last = row.sweeps.last {
            detail = "\(name) \(last.step)/\(last.totalSteps) rel_err \(ProgressLine.scientific(last.relativeError))"
        } else if let c = state.calibration {
            detail = "calibrating \(c.label): \(c.done)/\(c.total)"
        }
        if state.paused { detail += detail.isEmpty ? "(paused)" : "  (paused)" }
        bar(done: state.finished.count, total: max(state.layers.count, 1), detail: detail)
    }

    private func clearBar() {
        if barShown { write("\r\u{1B}[2K"); barShown = false }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
