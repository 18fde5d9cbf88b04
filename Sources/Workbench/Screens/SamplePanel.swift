import TUIKit
import Engine

/// The sample panel (`d`): the job's latest greedy sample side by side (the reference's continuation of the
/// prompt and the model's with the layers quantized so far), where the job is with the next one, and the
/// prompt being typed with the number of tokens.
struct SamplePanel {
    var state: AppState
    var run: RunState

    /// Lines of the sample shown without growing the panel: the prompt, the column heads and a few lines each.
    static let bodyLines = 10

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs, view = state.sample, dot = " " + g.dot + " "
        let width = min(100, buffer.size.width - 4)
        let body = view.sample.map {
            $0.sideBySide(width: width - 4, rule: g.vertical).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } ?? []
        // Room for a usual sample from the start, so the panel does not grow when the first one comes.
        let size = Size(width: width, height: min(max(Self.bodyLines, body.count) + 6, buffer.size.height - 2))
        let title = "Sample" + dot + "greedy" + (view.sample == nil ? "" : dot + "after \(view.layersDone)/\(run.layers.count) layers quantized")
        let inner = overlay(size, in: buffer.bounds, title: title, on: &buffer, palette: palette)
        guard inner.height >= 4 else { return }
        for (i, line) in body.prefix(inner.height - 4).enumerated() {
            buffer.put(line, at: Point(x: inner.x + 1, y: inner.y + i), style: palette.main, maxWidth: inner.width - 1)
        }
        let (status, key) = self.status(g)
        buffer.put(status, at: Point(x: inner.x + 1, y: inner.maxY - 3), style: palette.style(key), maxWidth: inner.width - 1)
        let tokens = (g.unicode ? "◂ " : "< ") + "\(view.tokens) tokens" + (g.unicode ? " ▸" : " >")
        let label = "prompt " + (g.unicode ? "›" : ">") + " "
        let y = inner.maxY - 2
        buffer.put(label, at: Point(x: inner.x + 1, y: y), style: palette.style(.title).with(.bold))
        let room = inner.width - 1 - CharWidth.of(label) - CharWidth.of(tokens) - 2
        // The end of a long prompt stays in view, where the typing happens.
        let typed = String(view.prompt.suffix(max(0, room - 1))) + "_"
        buffer.put(typed, at: Point(x: inner.x + 1 + CharWidth.of(label), y: y), style: palette.style(.hiFg), maxWidth: room)
        buffer.put(tokens, at: Point(x: inner.maxX - CharWidth.of(tokens) - 1, y: y), style: palette.style(.hiFg))
        buffer.put("type to edit  \(g.enter) generate  \(Key.left.label(g))/\(Key.right.label(g)) tokens  Ctrl-U clear  Esc close",
                   at: Point(x: inner.x + 1, y: inner.maxY - 1), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }

    /// The line above the prompt: what the job is doing with the sample, or what ⏎ would do.
    private func status(_ g: GlyphSet) -> (String, ThemeKey) {
        let view = state.sample
        if view.prompt.isEmpty { return ("type a prompt, then \(g.enter)", .inactiveFg) }
        if let failure = view.failure { return ("cannot sample: " + failure, .failedFg) }
        switch view.progress {
        case .waiting where run.paused: return ("waits for the paused solver (p on the main screen resumes it)", .warningFg)
        case .waiting: return ("generating" + g.ellipsis + (run.activeLayer.map { " once \($0) is solved" } ?? ""), .runningFg)
        case .generating: return ("generating" + g.ellipsis, .runningFg)
        case .idle where view.edited || view.request == nil: return ("\(g.enter) generates the typed prompt", .inactiveFg)
        case .idle: return ("a new sample follows every solve while this is open", .inactiveFg)
        }
    }
}
