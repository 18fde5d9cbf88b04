import TUIKit

/// The help overlay, generated from the keymap so it lists exactly the live bindings.
struct HelpOverlay {
    var keymap: WorkbenchKeymap
    var scroll: Int

    /// The help text: a section per screen, one line per binding.
    func lines(_ glyphs: GlyphSet) -> [(text: String, heading: Bool)] {
        var out: [(String, Bool)] = []
        for screen in Screen.allCases where screen != .help {
            out.append((screen.title, true))
            for b in keymap.bindings(on: screen) {
                out.append(("  " + Text.pad(b.keys.map { $0.label(glyphs) }.joined(separator: " "), to: 16) + b.help, false))
            }
            out.append(("", false))
        }
        return out
    }

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let all = lines(palette.glyphs)
        let size = Size(width: min(76, buffer.size.width - 4), height: min(all.count + 3, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Help " + palette.glyphs.dot + " keys", on: &buffer, palette: palette)
        let visible = max(0, inner.height - 1)
        let first = min(scroll, max(0, all.count - visible))
        for (i, line) in all.dropFirst(first).prefix(visible).enumerated() {
            buffer.put(line.text, at: Point(x: inner.x + 1, y: inner.y + i),
                       style: line.heading ? palette.style(.title).with(.bold) : palette.main, maxWidth: inner.width - 1)
        }
        let g = palette.glyphs
        buffer.put("\(g.up)\(g.down) scroll  Esc ? q close", at: Point(x: inner.x + 1, y: inner.maxY - 1),
                   style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }
}
