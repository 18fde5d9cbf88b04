import TUIKit
import Foundation
import QuantCore

/// A layer's weighted-error map (output rows down, input-channel groups across), summed into one cell per
/// bin to fit the area, shaded and coloured on a log scale with a legend giving the range as shares of the
/// layer's rel_err, so it reads without colour too. Cells at or below zero (Σ coupling) take the lowest shade.
public struct ErrorMapView: Sendable {
    public var map: ErrorMap

    public init(map: ErrorMap) { self.map = map }

    /// Shade and colour steps.
    static let levels = 8

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.width >= 12, rect.height >= 3 else { return }
        let g = palette.glyphs
        let text = palette.style(.graphText)
        let labelWidth = String(map.rowStarts.last ?? 0).count + 1
        let shown = map.pooled(maxRows: rect.height - 2, maxColumns: rect.width - labelWidth)
        let shades = Array(g.shades.dropFirst())
        let colors = palette.gradient(.heat, steps: Self.levels)
        let positive = shown.values.filter { $0 > 0 && $0.isFinite }
        let range = positive.min().flatMap { lo in positive.max().map { (lo: lo, hi: $0) } }
        // The input-channel axis: the first channel of a group every ~10 cells.
        var x = 0
        while x < shown.columns {
            let label = String(shown.columnStarts[x])
            if x + label.count <= shown.columns {
                buffer.put(label, at: Point(x: rect.x + labelWidth + x, y: rect.y), style: text)
            }
            x += max(label.count + 2, 10)
        }
        for r in 0..<shown.rows {
            let y = rect.y + 1 + r
            if r % 2 == 0 || shown.rows <= 6 {
                buffer.put(Text.pad(String(shown.rowStarts[r]), to: labelWidth - 1, right: true), at: Point(x: rect.x, y: y), style: text)
            }
            for c in 0..<shown.columns {
                let v = shown[r, c]
                let level = range.map { Heatmap.level(v, range: $0, levels: Self.levels) } ?? 0
                let glyph = shades[level * shades.count / Self.levels]
                buffer.set(rect.x + labelWidth + c, y, Cell(glyph, style: Style(fg: colors[level], bg: palette[.mainBg])))
            }
        }
        drawLegend(at: Point(x: rect.x, y: rect.maxY - 1), width: rect.width, range: range, shades: shades, colors: colors, on: &buffer, palette: palette)
    }

    private func drawLegend(at p: Point, width: Int, range: (lo: Double, hi: Double)?, shades: [String], colors: [Color],
                            on buffer: inout CellBuffer, palette: Palette) {
        let text = palette.style(.graphText)
        var x = p.x
        x += buffer.put("low ", at: Point(x: x, y: p.y), style: text, maxWidth: width)
        for l in 0..<Self.levels where x < p.x + width {
            buffer.set(x, p.y, Cell(shades[l * shades.count / Self.levels], style: Style(fg: colors[l], bg: palette[.mainBg])))
            x += 1
        }
        x += buffer.put(" high", at: Point(x: x, y: p.y), style: text, maxWidth: p.x + width - x)
        let total = map.relativeError
        let facts: String
        if let range, total > 0 {
            facts = "  cell " + Text.fixed(range.lo / total * 100, 2) + "% " + palette.glyphs.ellipsis + " " + Text.fixed(range.hi / total * 100, 1)
                + "% of rel_err " + Text.scientific(total)
        } else {
            facts = "  no error: rel_err " + Text.scientific(total)
        }
        buffer.put(facts, at: Point(x: x, y: p.y), style: text, maxWidth: p.x + width - x)
    }
}
