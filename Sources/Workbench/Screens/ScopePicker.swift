import TUIKit
import Engine

/// The layer-scope overlay (`/`): the selected layer, its block, a name glob typed in place, or every
/// layer, each with how many layers it holds; ⏎ makes it the scope of solve and compare.
struct ScopePicker {
    var state: AppState
    var run: RunState

    /// Rows of the overlay: layer, block, pattern, all.
    static let choices = 4
    static let patternChoice = 2

    /// The row that shows `scope`.
    static func choice(of scope: LayerScope) -> Int {
        switch scope {
        case .layer: return 0
        case .block: return 1
        case .pattern: return patternChoice
        case .all: return 3
        }
    }

    /// The scope row `choice` stands for; nil when it names nothing yet (no layers, an empty glob).
    static func scope(choice: Int, pattern: String, run: RunState, cursor: Int) -> LayerScope? {
        switch choice {
        case 0: return .layer
        case 1: return run.layers.indices.contains(cursor) ? .block(run.layers[cursor].info.block) : nil
        case patternChoice: return pattern.isEmpty ? nil : .pattern(pattern)
        default: return .all
        }
    }

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        let size = Size(width: min(72, buffer.size.width - 4), height: min(ScopePicker.choices + 5, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Layers to solve " + g.dot + " now: " + state.scope.label, on: &buffer, palette: palette)
        let cursor = run.layers.indices.contains(state.selected) ? run.layers[state.selected].info : nil
        let pattern = state.scopePattern
        let rows: [(String, String)] = [
            ("layer", cursor?.name ?? "none yet"),
            ("block", cursor.map { "\($0.block)" + count(.block($0.block)) } ?? "none yet"),
            ("glob", pattern.isEmpty ? "type one, e.g. *.attention.*" : pattern + (state.scopeChoice == ScopePicker.patternChoice ? "_" : "") + count(.pattern(pattern))),
            ("all", "\(run.layers.count) layers"),
        ]
        for (i, row) in rows.enumerated() where inner.y + i < inner.maxY - 1 {
            let chosen = i == state.scopeChoice
            let style = chosen ? palette.selected : palette.main
            if chosen { buffer.fill(Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1), with: .blank(style)) }
            let text = (chosen ? g.pointer : " ") + " " + Text.pad(row.0, to: 7) + row.1
            let muted = i == ScopePicker.patternChoice && pattern.isEmpty && !chosen
            buffer.put(text, at: Point(x: inner.x, y: inner.y + i), style: muted ? palette.style(.inactiveFg) : style, maxWidth: inner.width)
        }
        buffer.put("\(g.up)\(g.down) choose  type a glob  \(g.enter) use  Esc close", at: Point(x: inner.x + 1, y: inner.maxY - 1),
                   style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }

    private func count(_ scope: LayerScope) -> String {
        let n = scope.rows(of: run, cursor: state.selected).count
        return " " + palette.glyphs.dot + " \(n) layer" + (n == 1 ? "" : "s")
    }

    private var palette: Palette { state.palette }
}
