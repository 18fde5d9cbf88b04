/// One bar per value, scaled to the largest, newest on the right (ratatui's `Sparkline`).
public struct Sparkline: Sendable {
    public var values: [Double]
    public var gradient: GradientKey

    public init(values: [Double], gradient: GradientKey = .util) {
        self.values = values
        self.gradient = gradient
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard !rect.isEmpty else { return }
        let shown = Array(values.suffix(rect.width))
        let top = shown.filter(\.isFinite).max() ?? 0
        let colors = palette.gradient(gradient, steps: 8)
        let bars = palette.glyphs.bars
        let levels = rect.height * bars.count
        for (i, v) in shown.enumerated() {
            let x = rect.x + i
            let visible = top > 0 && v.isFinite && v > 0
            let h = visible ? max(1, Int((v / top * Double(levels)).rounded())) : 0
            let color = colors[visible ? min(colors.count - 1, Int(v / top * Double(colors.count - 1))) : 0]
            for row in 0..<rect.height {
                let filled = h - row * bars.count
                let y = rect.maxY - 1 - row
                if filled <= 0 {
                    if row == 0 { buffer.set(x, y, Cell(bars[0], style: palette.style(.inactiveFg))) }
                    continue
                }
                buffer.set(x, y, Cell(bars[min(bars.count, filled) - 1], style: Style(fg: color, bg: palette[.mainBg])))
            }
        }
    }
}
