import Engine
import Foundation

/// Headless progress on stderr: a redrawn one-line bar on a TTY, plain lines per finished layer otherwise.
final class ProgressPrinter: @unchecked Sendable {
    private let tty = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast
    private var barShown = false

    func note(_ s: String) {
        clearBar()
        write(s + "\n")
    }

    func show(_ event: EngineEvent, state: RunState) {
        switch event {
        case let .runStarted(info):
            note("\(info.model) · \(info.architecture) · \(info.layers.count) layers · \(info.method.summary) · \(info.pipeline)")
            note("calibration: \(info.calibration)")
        case let .layerFinished(s):
            let done = state.finished.count, total = state.layers.count
            let width = String(total).count
            note(String(format: "[%\(width)d/%d] %-28@ rel_err %.5f  %.2f bits/w  %@%.2fs", done, total, s.name as NSString, s.relErr,
                        s.bitsPerWeight, s.outliers > 0 ? "\(s.outliers) outliers  " as NSString : "" as NSString, s.seconds))
        case let .comparisonFinished(s):
            note(String(format: "        %-28@ %@: rel_err %.5f", s.name as NSString, s.method.summary as NSString, s.relErr))
        case let .warning(w):
            note("warning: \(w)")
        case let .error(layer, message):
            note("error: " + (layer.map { "\($0): " } ?? "") + message)
        case let .runFinished(status):
            let stats = state.relErrStats.map { String(format: " · median rel_err %.5f, worst %.5f", $0.median, $0.worst) } ?? ""
            note("run \(status.rawValue): \(state.finished.count)/\(state.layers.count) layers\(stats)")
        default:
            drawBar(state)
        }
    }

    func finish() { clearBar() }

    private func drawBar(_ state: RunState) {
        guard tty, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let total = max(state.layers.count, 1), done = state.finished.count
        let cells = 24, filled = cells * done / total
        var line = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + "] \(done)/\(total)"
        if let name = state.activeLayer, let row = state.layers.first(where: { $0.info.name == name }), let last = row.sweeps.last {
            line += String(format: "  %@ %d/%d rel_err %.5f", name as NSString, last.step, last.totalSteps, last.relativeError)
        } else if let c = state.calibration {
            line += "  calibrating block \(c.block): \(c.done)/\(c.total)"
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
