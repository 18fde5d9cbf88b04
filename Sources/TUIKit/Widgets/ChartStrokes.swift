import Foundation

/// How a `LineChart` draws a curve in each marker: braille dots, block eighths, ASCII strokes. Parts of a
/// curve off the axis are clipped (the chart marks them at the edge); dashed curves leave every other
/// stretch out.
extension LineChart {
    /// The plottable points of a series on a grid `width` × `rows`: x in grid columns, y in grid rows
    /// (fractional, off the grid where the value is off the axis).
    func points(_ s: ChartSeries, scale: ChartScale, width: Int, rows: Int) -> [(x: Double, y: Double)] {
        s.values.enumerated().compactMap { i, v in
            scale.position(v, rows: rows).map { (Double(column(i, width: width)), $0) }
        }
    }

    /// The part of the segment a–b whose y lies in [0, rows − 1], or nil when none does.
    static func clip(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), rows: Int) -> ((Int, Int), (Int, Int))? {
        let top = -0.5, bottom = Double(rows) - 0.5
        var t0 = 0.0, t1 = 1.0
        let dy = b.y - a.y
        if dy == 0 {
            guard a.y >= top, a.y < bottom else { return nil }
        } else {
            let ta = (top - a.y) / dy, tb = (bottom - a.y) / dy
            t0 = max(t0, min(ta, tb))
            t1 = min(t1, max(ta, tb))
            guard t0 <= t1 else { return nil }
        }
        let point = { (t: Double) -> (Int, Int) in
            (Int((a.x + (b.x - a.x) * t).rounded()), min(rows - 1, max(0, Int((a.y + dy * t).rounded()))))
        }
        return (point(t0), point(t1))
    }

    /// Whether a dashed curve leaves grid column `x` out (dashes `period` columns long).
    static func inGap(_ x: Int, period: Int) -> Bool { (x / period) % 2 == 1 }

    func drawBraille(_ s: ChartSeries, scale: ChartScale, plot: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let w = plot.width * 2, h = plot.height * 4
        var dots = [UInt8](repeating: 0, count: plot.width * plot.height)
        let dashed = s.kind == .dashed
        func dot(_ x: Int, _ y: Int) {
            guard x >= 0, x < w, y >= 0, y < h, !(dashed && Self.inGap(x, period: 4)) else { return }
            let bit: UInt8 = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]][y % 4][x % 2]
            dots[(y / 4) * plot.width + x / 2] |= bit
        }
        let pts = points(s, scale: scale, width: w, rows: h)
        for (a, b) in zip(pts, pts.dropFirst()) {
            if let (p, q) = Self.clip(a, b, rows: h) { Self.line(p, q, dot) }
        }
        if pts.count == 1, let (p, _) = Self.clip(pts[0], pts[0], rows: h) { dot(p.0, p.1) }
        let style = palette.style(s.color)
        for (i, m) in dots.enumerated() where m != 0 {
            let ch = Character(Unicode.Scalar(0x2800 + UInt32(m))!)
            buffer.set(plot.x + i % plot.width, plot.y + i / plot.width, Cell(String(ch), style: style))
        }
    }

    /// Block eighths: a solid curve fills down to the axis; a dashed one draws only the top cell of every
    /// other pair of columns, so it reads over a filled one.
    func drawBlocks(_ s: ChartSeries, scale: ChartScale, plot: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let bars = palette.glyphs.bars
        let style = palette.style(s.color)
        let levels = plot.height * bars.count
        let dashed = s.kind == .dashed
        for (i, v) in s.values.enumerated() where v > 0 && v.isFinite {
            let x0 = column(i, width: plot.width)
            let x1 = i + 1 < s.values.count ? column(i + 1, width: plot.width) : x0 + 1
            let f = 1 - (scale.hi - log10(v)) / scale.span
            guard f >= 0, f <= 1 + 0.5 / Double(levels) else { continue }
            let height = max(1, min(levels, Int((f * Double(levels)).rounded())))
            for x in x0..<max(x0 + 1, x1) where x < plot.width {
                if dashed {
                    guard !Self.inGap(x, period: 2) else { continue }
                    let row = (height - 1) / bars.count
                    buffer.set(plot.x + x, plot.maxY - 1 - row, Cell(bars[(height - 1) % bars.count], style: style))
                    continue
                }
                for row in 0..<plot.height {
                    let filled = height - row * bars.count
                    guard filled > 0 else { break }
                    buffer.set(plot.x + x, plot.maxY - 1 - row, Cell(bars[min(bars.count, filled) - 1], style: style))
                }
            }
        }
    }

    /// ASCII strokes by slope, one cell per column: `-` or `_` (the value in the upper or lower half of the
    /// row) while the curve stays in a row, `\` or `/` where it moves to the next, `|` where it falls
    /// further; a flat curve reads `------`. A lone point is a `*`.
    func drawASCII(_ s: ChartSeries, scale: ChartScale, plot: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let style = palette.style(s.color)
        let pts = points(s, scale: scale, width: plot.width, rows: plot.height)
        let rows = plot.height
        func put(_ x: Int, _ y: Int, _ glyph: String) {
            guard x >= 0, x < plot.width, y >= 0, y < rows, !(s.kind == .dashed && Self.inGap(x, period: 2)) else { return }
            buffer.set(plot.x + x, plot.y + y, Cell(glyph, style: style))
        }
        if pts.count == 1 {
            if ChartScale.onAxis(pts[0].y, rows: rows) { put(Int(pts[0].x), Int(pts[0].y.rounded()), "*") }
            return
        }
        // The curve's y at grid column x (linear between the points, held at the ends).
        func y(at x: Double) -> Double {
            guard let j = pts.firstIndex(where: { $0.x >= x }) else { return pts[pts.count - 1].y }
            guard j > 0 else { return pts[0].y }
            let a = pts[j - 1], b = pts[j]
            return b.x == a.x ? b.y : a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
        }
        guard let first = pts.first?.x, let last = pts.last?.x else { return }
        for x in Int(first)...Int(last) {
            let mid = y(at: Double(x))
            let left = y(at: max(first, Double(x) - 0.5)), right = y(at: min(last, Double(x) + 0.5))
            let r0 = Int(max(-1, min(left, right)).rounded()), r1 = Int(min(Double(rows), max(left, right)).rounded())
            if r1 < r0 { continue }
            if r0 == r1 {
                put(x, r0, mid - mid.rounded() > 0.2 ? "_" : "-")
            } else {
                let slope = right > left ? "\\" : "/"
                for r in r0...r1 { put(x, r, r1 - r0 == 1 ? slope : "|") }
            }
        }
    }

    /// Bresenham's line from a to b.
    static func line(_ a: (Int, Int), _ b: (Int, Int), _ plot: (Int, Int) -> Void) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            plot(x, y)
            if x == b.0 && y == b.1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}
