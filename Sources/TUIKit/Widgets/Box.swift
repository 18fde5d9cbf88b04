/// A bordered panel with a title in its top edge (ratatui's `Block`). `draw` returns the inner area.
///
/// ```swift
/// let inner = Box(title: "Layers").draw(in: rect, on: &buffer, palette: palette)
/// ```
public struct Box: Sendable {
    public var title: String
    /// Extra text at the right end of the top edge.
    public var trailing: String
    /// The panel has the keyboard focus: its border is highlighted and its title carries the pointer.
    public var focused: Bool

    public init(title: String, trailing: String = "", focused: Bool = false) {
        self.title = title
        self.trailing = trailing
        self.focused = focused
    }

    @discardableResult
    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = palette.glyphs, border = palette.style(focused ? .hiFg : .border)
        buffer.fill(rect, with: .blank(palette.main))
        for x in rect.x + 1..<rect.maxX - 1 {
            buffer.set(x, rect.y, Cell(g.horizontal, style: border))
            buffer.set(x, rect.maxY - 1, Cell(g.horizontal, style: border))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            buffer.set(rect.x, y, Cell(g.vertical, style: border))
            buffer.set(rect.maxX - 1, y, Cell(g.vertical, style: border))
        }
        buffer.set(rect.x, rect.y, Cell(g.topLeft, style: border))
        buffer.set(rect.maxX - 1, rect.y, Cell(g.topRight, style: border))
        buffer.set(rect.x, rect.maxY - 1, Cell(g.bottomLeft, style: border))
        buffer.set(rect.maxX - 1, rect.maxY - 1, Cell(g.bottomRight, style: border))
        let room = rect.width - 4
        var used = 0
        let title = focused ? g.pointer + " " + self.title : self.title
        if !title.isEmpty, room > 0 {
            used = buffer.put(" " + Text.truncate(title, to: room - 2, ellipsis: g.ellipsis) + " ",
                              at: Point(x: rect.x + 1, y: rect.y), style: palette.style(.title).with(.bold), maxWidth: room)
        }
        let rest = room - used - 1
        if !trailing.isEmpty, rest > 4 {
            let t = " " + Text.truncate(trailing, to: rest - 2, ellipsis: g.ellipsis) + " "
            buffer.put(t, at: Point(x: rect.maxX - 1 - CharWidth.of(t), y: rect.y), style: palette.style(.graphText))
        }
        return rect.inset(1)
    }
}
