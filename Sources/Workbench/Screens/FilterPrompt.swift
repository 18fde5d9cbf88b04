import TUIKit
import Engine

/// The layer table's filter prompt (`f`), one line over the status bar: the glob being typed (the table
/// follows it), how many layers match, and the prompt's keys from the keymap.
struct FilterPrompt {
    var state: AppState
    var run: RunState

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        let row = Rect(x: 0, y: buffer.size.height - 1, width: buffer.size.width, height: 1)
        let glob = state.table.draft
        let n = state.tableRows(run).count
        let count = glob.isEmpty ? "type a glob, e.g. *.attention.*" : "\(n) of \(run.layers.count) layers"
        let context = ["filter: " + glob + "_", count]
        let labels: [Action: String] = [.apply: "apply", .erase: "delete", .close: "clear"]
        let hints = state.keymap.bindings(on: .filter).compactMap { b -> (key: String, label: String)? in
            guard let label = labels[b.action], let key = b.keys.first else { return nil }
            return (key.label(g), label)
        }
        StatusBar(context: context, hints: hints, separator: " " + g.dot + " ").draw(in: row, on: &buffer, palette: palette)
    }
}
