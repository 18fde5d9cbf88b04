import Foundation

/// A grid of values (rows × columns) drawn as heat cells on a log scale (`HeatScale`: shades, or a colour
/// ramp on 256-colour and truecolor terminals), with row and column labels and a legend `low ░▒▓█ high`
/// naming the range, so it reads without colour too. Missing values (layers not solved yet) show as a dot
/// (a dash in ASCII). A cursor cell is drawn in brackets, and its `readout` takes the legend's text.
public struct Heatmap: Sendable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// values[row][column]; nil for no value.
    public var values: [[Double?]]
    /// The highlighted cell (the selected layer).
    public var highlight: (row: Int, column: Int)?
    /// The cell under the keyboard cursor, and what the legend line says about it.
    public var cursor: (row: Int, column: Int)?
    public var readout: String?

    public init(rowLabels: [String], columnLabels: [String], values: [[Double?]], highlight: (row: Int, column: Int)?,
                cursor: (row: Int, column: Int)? = nil, readout: String? = nil) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.highlight = highlight
        self.cursor = cursor
        self.readout = readout
    }

    /// The range of positive finite values.
    public var range: (lo: Double, hi: Double)? {
        let v = values.flatMap { $0 }.compactMap { $0 }.filter { $0 > 0 && $0.isFinite }
        guard let lo = v.min(), let hi = v.max() else { return nil }
        return (lo, hi)
    }

    /// The shade level 0…(levels-1) of `v` on the log scale of `range` (+∞ is the worst level).
    public static func level(_ v: Double, range: (lo: Double, hi: Double), levels: Int) -> Int {
        guard v.isFinite, v > 0 else { return v > 0 ? levels - 1 : 0 }
        guard range.hi > range.lo else { return levels - 1 }
        let f = (log10(v) - log10(range.lo)) / (log10(range.hi) - log10(range.lo))
        return min(levels - 1, max(0, Int((f * Double(levels - 1)).rounded())))
    }

    /// Where the cells go in `rect`: the label column's width, each column's width (a gap included) and
    /// how many rows and columns show.
    private func geometry(_ rect: Rect) -> (labelWidth: Int, columnWidth: Int, rows: Int, columns: Int) {
        let labelWidth = max(2, rowLabels.map { CharWidth.of($0) }.max() ?? 2) + 1
        let columnWidth = max(2, min(5, (rect.width - labelWidth) / max(1, columnLabels.count)))
        let rows = min(rowLabels.count, max(0, rect.height - 2))
        let columns = min(columnLabels.count, max(0, (rect.width - labelWidth) / columnWidth))
        return (labelWidth, columnWidth, rows, columns)
    }

    /// The cell drawn at `p` when the map is drawn in `rect` (a click).
    public func cell(at p: Point, in rect: Rect) -> (row: Int, column: Int)? {
        guard rect.width >= 8, rect.height >= 2 else { return nil }
        let g = geometry(rect)
        let r = p.y - rect.y - 1, dx = p.x - rect.x - g.labelWidth
        guard r >= 0, r < g.rows, dx >= 0, dx / g.columnWidth < g.columns else { return nil }
        return (r, dx / g.columnWidth)
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.width >= 8, rect.height >= 2 else { return }
        let g = palette.glyphs
        let scale = HeatScale(palette: palette, shadeLevels: 4)
        let geo = geometry(rect)
        let (labelWidth, columnWidth) = (geo.labelWidth, geo.columnWidth)
        let text = palette.style(.graphText)
        for (c, label) in columnLabels.enumerated().prefix(geo.columns) {
            let x = rect.x + labelWidth + c * columnWidth
            buffer.put(Text.truncate(label, to: columnWidth - 1, ellipsis: ""), at: Point(x: x, y: rect.y), style: text)
        }
        let range = range
        for r in 0..<geo.rows {
            let y = rect.y + 1 + r
            buffer.put(Text.pad(rowLabels[r], to: labelWidth - 1, right: true), at: Point(x: rect.x, y: y), style: text)
            for c in 0..<geo.columns {
                let x = rect.x + labelWidth + c * columnWidth
                let v = r < values.count && c < values[r].count ? values[r][c] : nil
                let level = v.flatMap { v in range.map { scale.level(v, range: $0) } }
                let cell = level.map(scale.cell) ?? Cell(g.unicode ? "·" : "-", style: palette.style(.inactiveFg))
                for dx in 0..<(columnWidth - 1) { buffer.set(x + dx, y, cell) }
                if let cursor, cursor.row == r, cursor.column == c {
                    if columnWidth >= 4 {
                        buffer.set(x, y, scale.mark("[", over: level))
                        buffer.set(x + columnWidth - 2, y, scale.mark("]", over: level))
                    } else {
                        buffer.set(x, y, scale.mark(g.cursor, over: level))
                    }
                }
                if let highlight, highlight.row == r, highlight.column == c {
                    buffer.set(x + columnWidth - 1, y, Cell(g.unicode ? "◂" : "<", style: palette.style(.hiFg)))
                }
            }
        }
        if rowLabels.count > geo.rows, geo.rows > 0 {
            buffer.put("+\(rowLabels.count - geo.rows)", at: Point(x: rect.x, y: rect.y + geo.rows), style: palette.style(.inactiveFg))
        }
        let facts = readout ?? range.map { "rel_err " + Text.scientific($0.lo) + " " + g.ellipsis + " " + Text.scientific($0.hi) } ?? "no layer done yet"
        scale.drawLegend(at: Point(x: rect.x, y: rect.maxY - 1), width: rect.width, text: facts, style: readout == nil ? text : palette.style(.hiFg),
                         whole: readout != nil, on: &buffer, palette: palette)
    }
}
