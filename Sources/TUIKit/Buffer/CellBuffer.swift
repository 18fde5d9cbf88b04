/// A grid of cells that widgets draw into; the terminal backend receives the difference between two of
/// them. Drawing is clipped: nothing written outside the buffer (or outside a given width) lands anywhere.
///
/// ```swift
/// var buf = CellBuffer(size: Size(width: 20, height: 2))
/// buf.put("rel_err 1e-2", at: Point(x: 0, y: 0), style: .plain)
/// print(buf.text)
/// ```
public struct CellBuffer: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank()) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: fill, count: self.size.width * self.size.height)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    /// The cell at (x, y), or nil outside the buffer.
    public subscript(x: Int, y: Int) -> Cell? {
        guard bounds.contains(x: x, y: y) else { return nil }
        return cells[y * size.width + x]
    }

    /// Sets one cell (clipped). Overwriting half of a wide character blanks its other half.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard bounds.contains(x: x, y: y) else { return }
        let i = y * size.width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1].symbol = " " }
        if x + 1 < size.width, cells[i + 1].isContinuation, !cell.isContinuation { cells[i + 1].symbol = " " }
        cells[i] = cell
    }

    /// Writes `text` from `point`, at most `maxWidth` columns (and never past the right edge); a wide
    /// character that does not fit becomes a space. Returns the columns written.
    @discardableResult
    public mutating func put(_ text: String, at point: Point, style: Style, maxWidth: Int = .max) -> Int {
        guard point.y >= 0, point.y < size.height else { return 0 }
        let limit = min(maxWidth, size.width - point.x)
        var col = 0
        for ch in text {
            let w = CharWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit {
                if col < limit { set(point.x + col, point.y, Cell(" ", style: style)); col += 1 }
                break
            }
            let x = point.x + col
            if x >= 0 {
                set(x, point.y, Cell(String(ch), style: style))
                if w == 2 { set(x + 1, point.y, Cell("", style: style)) }
            }
            col += w
        }
        return max(0, col)
    }

    /// Fills a rectangle (clipped) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank()) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { set(x, y, cell) } }
    }

    /// Replaces every non-ASCII symbol with `?` (a wide one with `??`): under a non-UTF-8 locale
    /// ncurses would print them as blanks.
    public mutating func replaceNonASCII() {
        for i in cells.indices where !cells[i].symbol.unicodeScalars.allSatisfy(\.isASCII) {
            cells[i].symbol = "?"
            if i + 1 < cells.count, cells[i + 1].isContinuation { cells[i + 1].symbol = "?" }
        }
    }

    /// The text of each row, continuation cells skipped, trailing spaces kept (snapshot form).
    public var lines: [String] {
        (0..<size.height).map { y in
            var s = ""
            for x in 0..<size.width where !cells[y * size.width + x].isContinuation { s += cells[y * size.width + x].symbol }
            return s
        }
    }

    /// All rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }
}
