/// A column of a `Table`.
public struct TableColumn: Sendable, Equatable {
    public var title: String
    /// Width in cells; the last column with width 0 takes what is left.
    public var width: Int
    public var rightAligned: Bool

    public init(_ title: String, width: Int, rightAligned: Bool = false) {
        self.title = title
        self.width = width
        self.rightAligned = rightAligned
    }
}

/// One row of a `Table`: its cells and the style of each.
public struct TableRow: Sendable, Equatable {
    public var cells: [String]
    public var styles: [Style]

    public init(cells: [String], styles: [Style]) {
        self.cells = cells
        self.styles = styles
    }
}

/// A table with a header row, a selected row (drawn with a pointer and the selection style) and a scroll
/// offset. The offset is kept by the caller; `Table.offset(keeping:)` moves it so the selection shows.
/// A column whose text is too long is cut with an ellipsis.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var selected: Int?
    public var offset: Int

    public init(columns: [TableColumn], rows: [TableRow], selected: Int?, offset: Int) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.offset = offset
    }

    /// The offset that shows row `selected` in `visible` rows, moving `offset` as little as possible.
    public static func offset(keeping selected: Int, visible: Int, offset: Int, count: Int) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        var o = min(max(0, offset), max(0, count - visible))
        if selected < o { o = selected }
        if selected >= o + visible { o = selected - visible + 1 }
        return max(0, min(o, max(0, count - visible)))
    }

    /// Draws the table; returns the rows shown.
    @discardableResult
    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) -> Range<Int> {
        guard !rect.isEmpty else { return 0..<0 }
        let widths = columnWidths(rect.width - 2)
        draw(cells: columns.map(\.title), styles: columns.map { _ in palette.style(.graphText).with(.bold) },
             widths: widths, row: rect.row(0), pointer: " ", on: &buffer, palette: palette)
        let visible = rect.height - 1
        let first = Table.offset(keeping: selected ?? 0, visible: visible, offset: offset, count: rows.count)
        for i in 0..<max(0, visible) {
            let index = first + i
            guard index < rows.count else { break }
            let r = rect.row(i + 1)
            let isSelected = index == selected
            let row = rows[index]
            let styles = isSelected ? row.styles.map { _ in palette.selected } : row.styles
            if isSelected { buffer.fill(r, with: .blank(palette.selected)) }
            draw(cells: row.cells, styles: styles, widths: widths, row: r,
                 pointer: isSelected ? palette.glyphs.pointer : " ", on: &buffer, palette: palette, selected: isSelected)
        }
        return first..<min(rows.count, first + max(0, visible))
    }

    private func columnWidths(_ total: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) { $0 + $1.width } + gaps
        return columns.map { $0.width == 0 ? max(0, total - fixed) : $0.width }
    }

    private func draw(cells: [String], styles: [Style], widths: [Int], row: Rect, pointer: String,
                      on buffer: inout CellBuffer, palette: Palette, selected: Bool = false) {
        var x = row.x
        buffer.put(pointer + " ", at: Point(x: x, y: row.y), style: selected ? palette.selected : palette.style(.hiFg), maxWidth: row.width)
        x += 2
        for (i, w) in widths.enumerated() where i < cells.count {
            guard x < row.maxX else { break }
            let text = Text.pad(cells[i], to: w, right: columns[i].rightAligned, ellipsis: palette.glyphs.ellipsis)
            buffer.put(text, at: Point(x: x, y: row.y), style: i < styles.count ? styles[i] : palette.main, maxWidth: row.maxX - x)
            x += w + 1
        }
    }
}
