import Foundation

/// A series of a `LineChart`.
public struct ChartSeries: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Values per step, joined by a line.
        case line
        /// A single level drawn as a dashed horizontal line with its label (another method's result).
        case reference
    }

    public var label: String
    public var values: [Double]
    public var kind: Kind
    public var color: ThemeKey

    public init(label: String, values: [Double], kind: Kind = .line, color: ThemeKey) {
        self.label = label
        self.values = values
        self.kind = kind
        self.color = color
    }
}

/// A line chart of positive values on a log₁₀ y axis (rel_err spans decades), steps on x. Lines are
/// drawn with braille dots (2×4 per cell), block eighths, or ASCII, per `marker`; reference series are
/// dashed levels with a label. Later lines draw on top.
public struct LineChart: Sendable {
    public var series: [ChartSeries]
    /// Steps on the x axis (at least the longest series).
    public var steps: Int
    public var marker: ChartMarker
    public var xLabel: String
    /// What the chart says while it has nothing to plot.
    public var emptyText: String

    public init(series: [ChartSeries], steps: Int, marker: ChartMarker, xLabel: String, emptyText: String = "nothing to plot yet") {
        self.series = series
        self.steps = steps
        self.marker = marker
        self.xLabel = xLabel
        self.emptyText = emptyText
    }

    /// The y range [lo, hi] in log₁₀ units covering every positive finite value, widened to half decades.
    public var decades: (lo: Double, hi: Double)? {
        let v = series.flatMap(\.values).filter { $0 > 0 && $0.isFinite }
        guard let mn = v.min(), let mx = v.max() else { return nil }
        let lo = (2 * log10(mn)).rounded(.down) / 2, hi = (2 * log10(mx)).rounded(.up) / 2
        return (lo, max(hi, lo + 0.5))
    }

    /// The axis label of 10^t for a half-decade t: `1e-2`, `3e-2`.
    static func label(_ t: Double) -> String {
        let k = Int(t.rounded(.down))
        return (t == Double(k) ? "1" : "3") + "e\(k)"
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.width >= 12, rect.height >= 3 else { return }
        let axisStyle = palette.style(.graphText)
        guard let (lo, hi) = decades else {
            buffer.put(Text.truncate(emptyText, to: rect.width - 1, ellipsis: palette.glyphs.ellipsis), at: Point(x: rect.x + 1, y: rect.y + rect.height / 2), style: palette.style(.inactiveFg),
                       maxWidth: rect.width - 1)
            return
        }
        let labelWidth = 6
        let plot = Rect(x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth, height: rect.height - 1)
        let n = max(steps, series.map(\.values.count).max() ?? 1, 2)
        // Y labels at half decades, at least two rows apart.
        let span = hi - lo
        var lastRow = -2
        for t in stride(from: hi, through: lo, by: -0.5) {
            let row = Int(((hi - t) / span * Double(plot.height - 1)).rounded())
            guard row - lastRow >= 2 || t == lo else { continue }
            if t == lo && row - lastRow < 2 { buffer.fill(Rect(x: rect.x, y: plot.y + lastRow, width: labelWidth, height: 1)) }
            buffer.put(Text.pad(Self.label(t), to: labelWidth - 1, right: true), at: Point(x: rect.x, y: plot.y + row), style: axisStyle)
            lastRow = row
        }
        // X axis: ticks at the start, middle and end.
        let axisY = rect.maxY - 1
        let ticks = [1, (n + 1) / 2, n]
        for t in ticks {
            let x = plot.x + Int(Double(t - 1) / Double(n - 1) * Double(plot.width - 1))
            let s = String(t)
            buffer.put(s, at: Point(x: min(x, plot.maxX - CharWidth.of(s)), y: axisY), style: axisStyle)
        }
        let xl = " " + xLabel
        if plot.width > 24 { buffer.put(xl, at: Point(x: plot.maxX - CharWidth.of(xl) - 4, y: axisY), style: axisStyle) }

        let toY = { (v: Double, rows: Int) -> Int in
            let f = (hi - log10(v)) / span
            return min(rows - 1, max(0, Int((f * Double(rows - 1)).rounded())))
        }
        for s in series where s.kind == .line {
            switch marker {
            case .braille where palette.glyphs.unicode: drawBraille(s, plot: plot, n: n, toY: toY, on: &buffer, palette: palette)
            case .block where palette.glyphs.unicode: drawBlocks(s, plot: plot, n: n, hi: hi, span: span, on: &buffer, palette: palette)
            default: drawASCII(s, plot: plot, n: n, toY: toY, on: &buffer, palette: palette)
            }
        }
        // Reference levels go where the lines left room; each label goes in the widest gap of its row.
        for s in series where s.kind == .reference {
            guard let v = s.values.last, v > 0, v.isFinite else { continue }
            let y = plot.y + toY(v, plot.height)
            let style = palette.style(s.color)
            let gap = widestGap(row: y, in: plot, buffer)
            for x in stride(from: plot.x, to: plot.maxX, by: 2) where buffer[x, y]?.symbol == " " {
                buffer.set(x, y, Cell(palette.glyphs.dash, style: style))
            }
            let label = " " + s.label + " "
            let x = gap.count >= CharWidth.of(label) ? gap.lowerBound : plot.maxX - CharWidth.of(label)
            buffer.put(label, at: Point(x: max(plot.x, x), y: y), style: style, maxWidth: plot.maxX - max(plot.x, x))
        }
    }

    /// The longest run of blank cells on a row of the plot.
    private func widestGap(row y: Int, in plot: Rect, _ buffer: CellBuffer) -> Range<Int> {
        var best = plot.x..<plot.x, start: Int? = nil
        for x in plot.x...plot.maxX {
            let blank = x < plot.maxX && buffer[x, y]?.symbol == " "
            if blank, start == nil { start = x }
            if !blank, let s = start {
                if x - s > best.count { best = s..<x }
                start = nil
            }
        }
        return best
    }

    private func points(_ s: ChartSeries, width: Int, n: Int, rows: Int, toY: (Double, Int) -> Int) -> [(Int, Int)] {
        s.values.enumerated().compactMap { i, v in
            guard v > 0, v.isFinite else { return nil }
            return (Int((Double(i) / Double(n - 1) * Double(width - 1)).rounded()), toY(v, rows))
        }
    }

    private func drawBraille(_ s: ChartSeries, plot: Rect, n: Int, toY: (Double, Int) -> Int, on buffer: inout CellBuffer, palette: Palette) {
        let w = plot.width * 2, h = plot.height * 4
        var dots = [UInt8](repeating: 0, count: plot.width * plot.height)
        func dot(_ x: Int, _ y: Int) {
            guard x >= 0, x < w, y >= 0, y < h else { return }
            let bit: UInt8 = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]][y % 4][x % 2]
            dots[(y / 4) * plot.width + x / 2] |= bit
        }
        let pts = points(s, width: w, n: n, rows: h, toY: toY)
        for (a, b) in zip(pts, pts.dropFirst()) { line(a, b, dot) }
        if pts.count == 1 { dot(pts[0].0, pts[0].1) }
        let style = palette.style(s.color)
        for (i, m) in dots.enumerated() where m != 0 {
            let ch = Character(Unicode.Scalar(0x2800 + UInt32(m))!)
            buffer.set(plot.x + i % plot.width, plot.y + i / plot.width, Cell(String(ch), style: style))
        }
    }

    private func drawBlocks(_ s: ChartSeries, plot: Rect, n: Int, hi: Double, span: Double, on buffer: inout CellBuffer, palette: Palette) {
        let bars = palette.glyphs.bars
        let style = palette.style(s.color)
        let levels = plot.height * bars.count
        for (i, v) in s.values.enumerated() where v > 0 && v.isFinite {
            let x0 = Int((Double(i) / Double(n - 1) * Double(plot.width - 1)).rounded())
            let x1 = i + 1 < s.values.count ? Int((Double(i + 1) / Double(n - 1) * Double(plot.width - 1)).rounded()) : x0 + 1
            let f = 1 - (hi - log10(v)) / span
            let height = max(1, Int((f * Double(levels)).rounded()))
            for x in x0..<max(x0 + 1, x1) {
                for row in 0..<plot.height {
                    let filled = height - row * bars.count
                    guard filled > 0 else { break }
                    buffer.set(plot.x + x, plot.maxY - 1 - row, Cell(bars[min(bars.count, filled) - 1], style: style))
                }
            }
        }
    }

    private func drawASCII(_ s: ChartSeries, plot: Rect, n: Int, toY: (Double, Int) -> Int, on buffer: inout CellBuffer, palette: Palette) {
        let style = palette.style(s.color)
        let pts = points(s, width: plot.width, n: n, rows: plot.height, toY: toY)
        for (a, b) in zip(pts, pts.dropFirst()) {
            line(a, b) { x, y in buffer.set(plot.x + x, plot.y + y, Cell(".", style: style)) }
        }
        for (x, y) in pts { buffer.set(plot.x + x, plot.y + y, Cell("*", style: style)) }
    }

    /// Bresenham's line from a to b.
    private func line(_ a: (Int, Int), _ b: (Int, Int), _ plot: (Int, Int) -> Void) {
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
