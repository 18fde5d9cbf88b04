/// A chart legend under the plot: one row per series with a line (solid or dashed), a marker or a box
/// swatch; every label fitted to the chart's width (the full text as a tooltip) and made distinct.
enum Legend {
    /// One legend entry.
    struct Item {
        enum Swatch { case line, dashed, dot, ring, box }
        var label: String
        var color: String
        var swatch: Swatch
        /// A dash pattern for `.line` / `.dashed` (default: solid, or `5 4` for dashed).
        var dash: String? = nil
        /// A marker drawn on the line swatch (`Marker` shapes).
        var marker: Marker? = nil
    }

    /// The height of a legend of `count` rows.
    static func height(_ count: Int) -> Double { Double(count) * rowHeight }

    static let rowHeight = 16.0

    /// The legend as a group whose top-left corner is at `x, y`, no wider than `width`.
    static func render(_ items: [Item], x: Double, y: Double, width: Double) -> SVGElement {
        let labels = distinct(items.map(\.label))
        let rows = zip(items, labels).enumerated().map { i, pair -> SVGElement in
            let (item, label) = pair
            let top = y + Double(i) * rowHeight
            let mid = top + 6
            var swatch: [SVGElement]
            switch item.swatch {
            case .line, .dashed:
                var line = SVGElement.polyline([(x, mid), (x + 22, mid)], stroke: item.color, dashed: item.swatch == .dashed && item.dash == nil)
                if let dash = item.dash { line = line.with("stroke-dasharray", dash) }
                swatch = [line]
                if let marker = item.marker { swatch.append(marker.element(x: x + 11, y: mid, color: item.color)) }
            case .dot:
                swatch = [SVGElement("circle", ["cx": x + 11, "cy": mid, "r": 3.5, "fill": item.color])]
            case .ring:
                swatch = [SVGElement("circle", ["cx": x + 11, "cy": mid, "r": 3, "fill": "#ffffff", "stroke": item.color])]
            case .box:
                swatch = [SVGElement("rect", ["x": x + 5, "y": top, "width": 12, "height": 12, "fill": item.color])]
            }
            let fitted = ChartFrame.fit(label, width: width - 28)
            var text = SVGElement.label(fitted, x: x + 28, y: mid + 4, cssClass: "legend-label")
            if fitted != label { text.children.append(.title(label)) }
            return .group("legend-entry", swatch + [text])
        }
        return .group("legend", rows)
    }

    /// `labels` with repeats told apart: the second `X` becomes `X (2)`, and so on.
    static func distinct(_ labels: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return labels.map { label in
            seen[label, default: 0] += 1
            let n = seen[label]!
            return n == 1 ? label : "\(label) (\(n))"
        }
    }
}

/// Marker shapes that tell series apart where their lines coincide.
enum Marker {
    case circle, square, triangle, diamond

    /// The marker centred at `x, y`, hollow for squares and diamonds (so a smaller filled marker drawn on
    /// top stays visible).
    func element(x: Double, y: Double, color: String, children: [SVGElement] = []) -> SVGElement {
        switch self {
        case .circle:
            return SVGElement("circle", ["cx": x, "cy": y, "r": 3, "fill": color], children: children)
        case .square:
            return SVGElement("rect", ["x": x - 4.5, "y": y - 4.5, "width": 9, "height": 9, "fill": "#ffffff", "fill-opacity": 0,
                                       "stroke": color, "stroke-width": 1.5], children: children)
        case .triangle:
            let points = [(x, y - 5), (x - 4.5, y + 3.5), (x + 4.5, y + 3.5)].map { "\($0.0.svgText),\($0.1.svgText)" }.joined(separator: " ")
            return SVGElement("polygon", ["points": points, "fill": color], children: children)
        case .diamond:
            let points = [(x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y)].map { "\($0.0.svgText),\($0.1.svgText)" }.joined(separator: " ")
            return SVGElement("polygon", ["points": points, "fill-opacity": 0, "stroke": color, "stroke-width": 1.5], children: children)
        }
    }
}
