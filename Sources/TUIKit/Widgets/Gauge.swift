/// A horizontal progress bar with a label after it: `███████░░░░░ 12/36`.
///
/// With a `barWidth` the bar keeps that width whatever the label says (the label is cut with `…` to the
/// room left), so the text after it does not move as the label changes; without one the bar takes the
/// room the label leaves.
public struct Gauge: Sendable {
    public var fraction: Double
    public var label: String
    /// Cells of the bar; nil: the width of the rect less the label's.
    public var barWidth: Int?

    public init(fraction: Double, label: String, barWidth: Int? = nil) {
        self.fraction = fraction.isFinite ? min(1, max(0, fraction)) : 0
        self.label = label
        self.barWidth = barWidth.map { max(0, $0) }
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard !rect.isEmpty else { return }
        let g = palette.glyphs
        let barWidth = min(rect.width, self.barWidth ?? max(0, rect.width - CharWidth.of(label) - 1))
        let filled = Int((fraction * Double(barWidth)).rounded())
        for i in 0..<barWidth {
            let done = i < filled
            buffer.set(rect.x + i, rect.y, Cell(done ? g.gaugeFull : g.gaugeEmpty,
                                               style: palette.style(done ? .doneFg : .inactiveFg)))
        }
        let x = barWidth + (barWidth > 0 ? 1 : 0)
        let room = rect.width - x
        guard room > 0 else { return }
        buffer.put(Text.truncate(label, to: room, ellipsis: g.ellipsis), at: Point(x: rect.x + x, y: rect.y),
                   style: palette.style(.graphText), maxWidth: room)
    }
}
