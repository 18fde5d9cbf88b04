/// Horizontal bars, one row per labelled value, optionally grouped under headings; used for outliers per
/// layer and for comparisons of methods on a layer (coloured by role, with a legend under the bars).
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

    static let width = 760.0

    /// An `<svg class="CSSCLASS">` with the bars on a linear or log-10 value axis (fitted to the values).
    static func render(_ groups: [Group], cssClass: String, title: String, axisTitle: String, logScale: Bool,
                       legend: [Legend.Item] = []) -> SVGElement {
        let bars = groups.flatMap(\.bars)
        let labelWidth = min(width * 0.42, ChartFrame.textWidth(bars.map(\.label.count).max() ?? 4) + 14)
        let captionWidth = ChartFrame.textWidth(bars.map(\.caption.count).max() ?? 4) + 10
        let rowHeight = 16.0, headingHeight = 18.0
        let headings = groups.filter { $0.heading != nil }.count
        let plotHeight = rowHeight * Double(bars.count) + headingHeight * Double(headings)
        let legendHeight = legend.isEmpty ? 0 : Legend.height(legend.count) + 8
        let frame = ChartFrame(width: width, height: 30 + plotHeight + 44 + legendHeight, left: labelWidth, right: captionWidth, top: 30,
                               bottom: 44 + legendHeight)
        let values = bars.map(\.value)
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let scale: any ChartScale = logScale
            ? LogScale(positive.min() ?? 0.1, positive.max() ?? 1, range: (frame.plotLeft, frame.plotRight), fitted: true)
            : LinearScale(0, values.filter(\.isFinite).max() ?? 1, range: (frame.plotLeft, frame.plotRight))
        var parts: [SVGElement] = [.label(ChartFrame.fit(title, width: width - 16), x: 8, y: 16, cssClass: "chart-title"),
                                   Axis.bottom(scale, y: frame.plotBottom, gridTop: frame.plotTop, title: axisTitle)]
        var y = frame.plotTop
        for group in groups {
            if let heading = group.heading {
                parts.append(.label(ChartFrame.fit(heading, width: width - 16), x: 8, y: y + 13, cssClass: "group-heading"))
                y += headingHeight
            }
            for bar in group.bars {
                let end = scale.position(bar.value)
                let label = ChartFrame.fit(bar.label, width: labelWidth - 14)
                var text = SVGElement.label(label, x: frame.plotLeft - 6, y: y + 12, anchor: "end", cssClass: "tick-label")
                if label != bar.label { text.children.append(.title(bar.label)) }
                parts.append(.group("bar", [
                    text,
                    SVGElement("rect", ["x": frame.plotLeft, "y": y + 2, "width": max(0, end - frame.plotLeft), "height": rowHeight - 4,
                                        "fill": bar.color], children: [.title(bar.caption)]),
                    .label(bar.caption, x: end + 4, y: y + 12, cssClass: "tick-label"),
                ]))
                y += rowHeight
            }
        }
        if !legend.isEmpty { parts.append(Legend.render(legend, x: 8, y: frame.plotBottom + 44, width: width - 16)) }
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: cssClass, label: title, parts)
    }
}
