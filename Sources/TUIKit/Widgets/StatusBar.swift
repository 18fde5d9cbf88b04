/// The bottom row: context on the left (model · layer · method · bits · state), key hints on the
/// right, at least two columns apart. Hints are dropped from the end when they do not fit; the context is
/// cut last (with an ellipsis).
public struct StatusBar: Sendable {
    public var context: [String]
    public var hints: [(key: String, label: String)]
    public var separator: String

    public init(context: [String], hints: [(key: String, label: String)], separator: String = " · ") {
        self.context = context
        self.hints = hints
        self.separator = separator
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard !rect.isEmpty else { return }
        let row = rect.row(0)
        buffer.fill(row, with: .blank(palette.status))
        let left = " " + context.joined(separator: separator) + " "
        let leftWidth = min(CharWidth.of(left), row.width)
        var shown = hints
        func width(_ h: [(key: String, label: String)]) -> Int { h.reduce(0) { $0 + CharWidth.of($1.key) + CharWidth.of($1.label) + 2 } }
        let gap = 2
        while !shown.isEmpty && width(shown) + gap > row.width - min(leftWidth, row.width * 3 / 5) { shown.removeLast() }
        var x = row.maxX - width(shown)
        for h in shown {
            x += buffer.put(h.key, at: Point(x: x, y: row.y), style: palette.status.with(.bold))
            x += buffer.put(" " + h.label + " ", at: Point(x: x, y: row.y), style: palette.status)
        }
        let room = row.maxX - width(shown) - row.x - (shown.isEmpty ? 0 : gap)
        buffer.put(Text.truncate(left, to: room, ellipsis: palette.glyphs.ellipsis), at: Point(x: row.x, y: row.y),
                   style: palette.status, maxWidth: room)
    }
}
