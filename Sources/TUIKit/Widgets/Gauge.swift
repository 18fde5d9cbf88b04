/// A horizontal progress bar with a label after it: `███████░░░░░ 12/36`.
public struct Gauge: Sendable {
    public var fraction: Double
    public var label: String

    public init(fraction: Double, label: String) {
        self.fraction = fraction.isFinite ? min(1, max(0, fraction)) : 0
        self.label = label
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard !rect.isEmpty else { return }
        let labelWidth = CharWidth.of(label)
        let barWidth = max(0, rect.width - labelWidth - 1)
        let filled = Int((fraction * Double(barWidth)).rounded())
        let g = palette.glyphs
        for i in 0..<barWidth {
            let done = i < filled
            buffer.set(rect.x + i, rect.y, Cell(done ? g.gaugeFull : g.gaugeEmpty,
                                               style: palette.style(done ? .doneFg : .inactiveFg)))
        }
        buffer.put(label, at: Point(x: rect.x + barWidth + (barWidth > 0 ? 1 : 0), y: rect.y), style: palette.style(.graphText),
                   maxWidth: rect.width - barWidth)
    }
}
