/// Horizontal bars, one row per labelled value, optionally grouped under headings; used for outliers per
/// layer and for comparisons of methods on a layer.
enum BarChart {
    /// One bar.
    struct Bar {
        var label: String
        var value: Double
        var color: String
        /// The tooltip and the text printed after the bar.
        var caption: String
    }

    /// A group of bars under a heading (no heading: ungrouped).
    struct Group {
        var heading: String?
        var bars: [Bar]
    }

    /// An `<svg class="CSSCLASS">` with the bars on a linear or log-10 value axis.
    static func render(_ groups: [Group], cssClass: String, title: String, axisTitle: String, logScale: Bool) -> SVGElement {
        let bars = groups.flatMap(\.bars)
        let labelWidth = min(260, ChartFrame.textWidth(bars.map(\.label.count).max() ?? 4) + 12)
        let rowHeight = 16.0, headingHeight = 18.0
        let headings = groups.filter { $0.heading != nil }.count
        let plotHeight = rowHeight * Double(bars.count) + headingHeight * Double(headings)
        let frame = ChartFrame(width: labelWidth + 420, height: 30 + plotHeight + 44, left: labelWidth, right: 90, top: 30, bottom: 44)
        let values = bars.map(\.value)
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let scale: any ChartScale = logScale
            ? LogScale(positive.min() ?? 0.1, positive.max() ?? 1, range: (frame.plotLeft, frame.plotRight))
            : LinearScale(0, values.filter(\.isFinite).max() ?? 1, range: (frame.plotLeft, frame.plotRight))
        var parts: [SVGElement] = [.label(title, x: 8, y: 16, cssClass: "chart-title"),
                                   Axis.bottom(scale, y: frame.plotBottom, gridTop: frame.plotTop, title: axisTitle)]
        var y = frame.plotTop
        for group in groups {
            if let heading = group.heading {
                parts.append(.label(heading, x: 8, y: y + 13, cssClass: "group-heading"))
                y += headingHeight
            }
            for bar in group.bars {
                let end = scale.position(bar.value)
                parts.append(.group("bar", [
                    .label(bar.label, x: frame.plotLeft - 6, y: y + 12, anchor: "end", cssClass: "tick-label"),
                    SVGElement("rect", ["x": frame.plotLeft, "y": y + 2, "width": max(0, end - frame.plotLeft), "height": rowHeight - 4,
                                        "fill": bar.color], children: [.title(bar.caption)]),
                    .label(bar.caption, x: end + 4, y: y + 12, cssClass: "tick-label"),
                ]))
                y += rowHeight
            }
        }
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: cssClass, label: title, parts)
    }
}
