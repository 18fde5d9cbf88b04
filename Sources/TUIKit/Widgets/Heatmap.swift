import Foundation

/// A grid of values (rows × columns) drawn as shaded, coloured cells on a log scale, with row and
/// column labels and a legend `low ░▒▓█ high` naming the range, so it reads without colour too.
/// Missing values (layers not solved yet) show as a dot (a dash in ASCII).
public struct Heatmap: Sendable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// values[row][column]; nil for no value.
    public var values: [[Double?]]
    /// The highlighted cell (the selected layer).
    public var highlight: (row: Int, column: Int)?

    public init(rowLabels: [String], columnLabels: [String], values: [[Double?]], highlight: (row: Int, column: Int)?) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.highlight = highlight
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

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.width >= 8, rect.height >= 2 else { return }
        let g = palette.glyphs
        let shades = Array(g.shades.dropFirst())
        let colors = palette.gradient(.heat, steps: shades.count)
        let labelWidth = max(2, rowLabels.map { CharWidth.of($0) }.max() ?? 2) + 1
        let columnWidth = max(2, min(5, (rect.width - labelWidth) / max(1, columnLabels.count)))
        let text = palette.style(.graphText)
        let legendRows = 1
        let gridRows = rect.height - 1 - legendRows
        for (c, label) in columnLabels.enumerated() {
            let x = rect.x + labelWidth + c * columnWidth
            guard x + columnWidth <= rect.maxX else { break }
            buffer.put(Text.truncate(label, to: columnWidth - 1, ellipsis: ""), at: Point(x: x, y: rect.y), style: text)
        }
        let shown = min(rowLabels.count, max(0, gridRows))
        for r in 0..<shown {
            let y = rect.y + 1 + r
            buffer.put(Text.pad(rowLabels[r], to: labelWidth - 1, right: true), at: Point(x: rect.x, y: y), style: text)
            for c in columnLabels.indices {
                let x = rect.x + labelWidth + c * columnWidth
                guard x + columnWidth <= rect.maxX else { break }
                let v = r < values.count && c < values[r].count ? values[r][c] : nil
                let isHighlight = highlight.map { $0.row == r && $0.column == c } ?? false
                let cell: Cell
                if let v, let range {
                    let l = Heatmap.level(v, range: range, levels: shades.count)
                    cell = Cell(shades[l], style: Style(fg: colors[l], bg: palette[.mainBg]))
                } else {
                    cell = Cell(g.unicode ? "·" : "-", style: palette.style(.inactiveFg))
                }
                for dx in 0..<(columnWidth - 1) { buffer.set(x + dx, y, cell) }
                if isHighlight { buffer.set(x + columnWidth - 1, y, Cell(g.unicode ? "◂" : "<", style: palette.style(.hiFg))) }
            }
        }
        if rowLabels.count > shown, shown > 0 {
            buffer.put("+\(rowLabels.count - shown)", at: Point(x: rect.x, y: rect.y + shown), style: palette.style(.inactiveFg))
        }
        drawLegend(at: Point(x: rect.x, y: rect.maxY - 1), width: rect.width, shades: shades, colors: colors, on: &buffer, palette: palette)
    }

    private func drawLegend(at p: Point, width: Int, shades: [String], colors: [Color], on buffer: inout CellBuffer, palette: Palette) {
        let text = palette.style(.graphText)
        var x = p.x
        x += buffer.put("low ", at: Point(x: x, y: p.y), style: text, maxWidth: width)
        for (i, s) in shades.enumerated() where x < p.x + width {
            buffer.set(x, p.y, Cell(s, style: Style(fg: colors[i], bg: palette[.mainBg])))
            x += 1
        }
        x += buffer.put(" high", at: Point(x: x, y: p.y), style: text, maxWidth: p.x + width - x)
        let r = range.map { "  rel_err " + Text.scientific($0.lo) + " " + palette.glyphs.ellipsis + " " + Text.scientific($0.hi) } ?? "  no layer done yet"
        buffer.put(r, at: Point(x: x, y: p.y), style: text, maxWidth: p.x + width - x)
    }
}
