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
/// A column whose text is too long is cut with an ellipsis. The sorted column's title carries ▲ or ▼;
/// a table without rows shows `emptyText`.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var selected: Int?
    public var offset: Int
    /// The column the rows are sorted by, and whether large values come first.
    public var sort: (column: Int, descending: Bool)?
    public var emptyText: String

    public init(columns: [TableColumn], rows: [TableRow], selected: Int?, offset: Int,
                sort: (column: Int, descending: Bool)? = nil, emptyText: String = "") {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.offset = offset
        self.sort = sort
        self.emptyText = emptyText
    }

    /// The width a table needs to show its fixed columns and `flexible` columns of the width-0 one.
    public static func width(of columns: [TableColumn], flexible: Int) -> Int {
        2 + columns.reduce(0) { $0 + ($1.width == 0 ? flexible : $1.width) } + max(0, columns.count - 1)
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
        let titles = columns.enumerated().map { i, c -> String in
            guard let sort, sort.column == i else { return c.title }
            let mark = sort.descending ? palette.glyphs.descending : palette.glyphs.ascending
            let room = (widths[i] == 0 ? CharWidth.of(c.title) + 1 : widths[i]) - CharWidth.of(mark)
            return Text.truncate(c.title, to: room, ellipsis: "") + mark
        }
        draw(cells: titles, styles: columns.map { _ in palette.style(.graphText).with(.bold) },
             widths: widths, row: rect.row(0), pointer: " ", on: &buffer, palette: palette)
        let visible = rect.height - 1
        if rows.isEmpty, visible > 0 {
            buffer.put(emptyText, at: Point(x: rect.x + 2, y: rect.y + 1), style: palette.style(.inactiveFg), maxWidth: rect.width - 2)
        }
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
