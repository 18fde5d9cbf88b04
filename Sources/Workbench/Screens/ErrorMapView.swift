import TUIKit
import Foundation
import QuantCore

/// A layer's weighted-error map (output rows down, input-channel groups across), summed into one cell per
/// bin to fit the area, on a log scale (`HeatScale`) with a legend giving the range as shares of the
/// layer's rel_err, so it reads without colour too. Cells at or below zero (Σ coupling) take the lowest
/// level. With a cursor, the cell under it is marked and the legend line says what it covers.
public struct ErrorMapView: Sendable {
    public var map: ErrorMap
    /// The cursor cell (of the shown grid) and the layer's shape (output rows, input channels) it reads against.
    public var cursor: MapCell?
    public var shape: (rows: Int, cols: Int)

    public init(map: ErrorMap, cursor: MapCell? = nil, shape: (rows: Int, cols: Int)? = nil) {
        self.map = map
        self.cursor = cursor
        self.shape = shape ?? ((map.rowStarts.last ?? 0) + 1, (map.columnStarts.last ?? 0) + 1)
    }

    /// Shade steps when the terminal draws shades.
    static let levels = 8

    /// The cells as drawn in an area: the pooled map and the position of its first cell.
    public struct Grid: Sendable {
        public var shown: ErrorMap
        public var origin: Point

        /// `cell` moved inside the grid.
        public func clamp(_ cell: MapCell) -> MapCell {
            MapCell(row: min(shown.rows - 1, max(0, cell.row)), column: min(shown.columns - 1, max(0, cell.column)))
        }

        /// The cell drawn at `p` (a click).
        public func cell(at p: Point) -> MapCell? {
            let r = p.y - origin.y, c = p.x - origin.x
            return r >= 0 && r < shown.rows && c >= 0 && c < shown.columns ? MapCell(row: r, column: c) : nil
        }
    }

    /// The grid drawn in `rect`; nil when the area is too small to draw it.
    public func grid(in rect: Rect) -> Grid? {
        guard rect.width >= 12, rect.height >= 3 else { return nil }
        let labelWidth = String(map.rowStarts.last ?? 0).count + 1
        return Grid(shown: map.pooled(maxRows: rect.height - 2, maxColumns: rect.width - labelWidth),
                    origin: Point(x: rect.x + labelWidth, y: rect.y + 1))
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard let grid = grid(in: rect) else { return }
        let shown = grid.shown
        let text = palette.style(.graphText)
        let labelWidth = grid.origin.x - rect.x
        let scale = HeatScale(palette: palette, shadeLevels: Self.levels)
        let positive = shown.values.filter { $0 > 0 && $0.isFinite }
        let range = positive.min().flatMap { lo in positive.max().map { (lo: lo, hi: $0) } }
        // The input-channel axis: the first channel of a group every ~10 cells.
        var x = 0
        while x < shown.columns {
            let label = String(shown.columnStarts[x])
            if x + label.count <= shown.columns {
                buffer.put(label, at: Point(x: grid.origin.x + x, y: rect.y), style: text)
            }
            x += max(label.count + 2, 10)
        }
        let cursor = self.cursor.map(grid.clamp)
        for r in 0..<shown.rows {
            let y = grid.origin.y + r
            if r % 2 == 0 || shown.rows <= 6 {
                buffer.put(Text.pad(String(shown.rowStarts[r]), to: labelWidth - 1, right: true), at: Point(x: rect.x, y: y), style: text)
            }
            for c in 0..<shown.columns {
                let level = range.map { scale.level(shown[r, c], range: $0) } ?? 0
                let isCursor = cursor == MapCell(row: r, column: c)
                buffer.set(grid.origin.x + c, y, isCursor ? scale.mark(palette.glyphs.cursor, over: level) : scale.cell(level))
            }
        }
        let facts: String
        let total = map.relativeError
        if let cursor {
            facts = readout(cursor, in: shown, glyphs: palette.glyphs)
        } else if let range, total > 0 {
            facts = "cell " + Text.fixed(range.lo / total * 100, 2) + "% " + palette.glyphs.ellipsis + " " + Text.fixed(range.hi / total * 100, 1)
                + "% of rel_err " + Text.scientific(total)
        } else {
            facts = "no error: rel_err " + Text.scientific(total)
        }
        scale.drawLegend(at: Point(x: rect.x, y: rect.maxY - 1), width: rect.width, text: facts, style: cursor == nil ? text : palette.style(.hiFg),
                         whole: cursor != nil, on: &buffer, palette: palette)
    }

    /// What a cell covers and holds: `rows 64–127 · in 128–191 · 0.42% of rel_err`.
    func readout(_ cell: MapCell, in shown: ErrorMap, glyphs: GlyphSet) -> String {
        let dash = glyphs.unicode ? "–" : "-", dot = " " + glyphs.dot + " "
        let rowEnd = cell.row + 1 < shown.rows ? shown.rowStarts[cell.row + 1] - 1 : shape.rows - 1
        let colEnd = cell.column + 1 < shown.columns ? shown.columnStarts[cell.column + 1] - 1 : shape.cols - 1
        let v = shown[cell.row, cell.column]
        let share = map.relativeError > 0 ? Text.fixed(v / map.relativeError * 100, 2) + "% of rel_err" : "rel_err 0"
        return "rows \(shown.rowStarts[cell.row])\(dash)\(rowEnd)" + dot + "in \(shown.columnStarts[cell.column])\(dash)\(colEnd)" + dot + share
    }
}
