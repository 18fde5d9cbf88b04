/// A chart legend: one row per series with a line (solid or dashed), a marker or a box swatch.
enum Legend {
    /// One legend entry.
    struct Item {
        enum Swatch { case line, dashed, dot, ring, box }
        var label: String
        var color: String
        var swatch: Swatch
    }

    /// The legend as a group whose top-left corner is at `x, y`.
    static func render(_ items: [Item], x: Double, y: Double) -> SVGElement {
        let rows = items.enumerated().map { i, item -> SVGElement in
            let top = y + Double(i) * 16
            let mid = top + 6
            let swatch: SVGElement
            switch item.swatch {
            case .line, .dashed:
                swatch = .polyline([(x, mid), (x + 22, mid)], stroke: item.color, dashed: item.swatch == .dashed)
            case .dot:
                swatch = SVGElement("circle", ["cx": x + 11, "cy": mid, "r": 3.5, "fill": item.color])
            case .ring:
                swatch = SVGElement("circle", ["cx": x + 11, "cy": mid, "r": 3, "fill": "#ffffff", "stroke": item.color])
            case .box:
                swatch = SVGElement("rect", ["x": x + 5, "y": top, "width": 12, "height": 12, "fill": item.color])
            }
            return .group(nil, [swatch, .label(item.label, x: x + 28, y: mid + 4)])
        }
        return .group("legend", rows)
    }
}
