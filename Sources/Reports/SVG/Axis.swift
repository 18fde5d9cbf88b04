/// Axes drawn from a scale: the axis line, ticks with labels, light grid lines across the plot, a title.
enum Axis {
    /// A horizontal axis at `y` under a plot whose top is `gridTop`.
    static func bottom(_ scale: some ChartScale, y: Double, gridTop: Double, title: String) -> SVGElement {
        var parts = [SVGElement.line(scale.range.start, y, scale.range.end, y, cssClass: "axis-line")]
        for t in scale.ticks {
            let x = scale.position(t)
            parts.append(.line(x, gridTop, x, y, cssClass: "grid"))
            parts.append(.line(x, y, x, y + 4, cssClass: "tick"))
            parts.append(.label(NiceTicks.format(t), x: x, y: y + 15, anchor: "middle", cssClass: "tick-label"))
        }
        let middle = (scale.range.start + scale.range.end) / 2
        parts.append(.label(title, x: middle, y: y + 30, anchor: "middle", cssClass: "axis-title"))
        return .group("axis x-axis", parts)
    }

    /// A vertical axis at `x` beside a plot whose right edge is `gridRight`; the scale's range runs bottom to top.
    static func left(_ scale: some ChartScale, x: Double, gridRight: Double, title: String) -> SVGElement {
        var parts = [SVGElement.line(x, scale.range.start, x, scale.range.end, cssClass: "axis-line")]
        for t in scale.ticks {
            let y = scale.position(t)
            parts.append(.line(x, y, gridRight, y, cssClass: "grid"))
            parts.append(.line(x - 4, y, x, y, cssClass: "tick"))
            parts.append(.label(NiceTicks.format(t), x: x - 6, y: y + 4, anchor: "end", cssClass: "tick-label"))
        }
        let middle = (scale.range.start + scale.range.end) / 2
        let title = SVGElement.label(title, x: 12, y: middle, anchor: "middle", cssClass: "axis-title")
            .with("transform", "rotate(-90 12 \(middle.svgText))")
        return .group("axis y-axis", parts + [title])
    }
}
