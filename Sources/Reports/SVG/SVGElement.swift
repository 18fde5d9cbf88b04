import Foundation

/// A value an SVG attribute can take: text, or a number written with at most two decimals.
protocol SVGAttributeValue {
    var svgText: String { get }
}

extension String: SVGAttributeValue {
    var svgText: String { self }
}

extension Int: SVGAttributeValue {
    var svgText: String { String(self) }
}

extension Double: SVGAttributeValue {
    /// Two decimals, trailing zeros dropped; non-finite values as 0 (an SVG number must be finite).
    var svgText: String {
        guard isFinite else { return "0" }
        var s = String(format: "%.2f", self)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}

/// An SVG element tree. Rendering escapes every attribute value and text, and closes every tag it opens.
struct SVGElement {
    var name: String
    var attributes: [(name: String, value: String)]
    var children: [SVGElement]
    var text: String?

    init(_ name: String, _ attributes: KeyValuePairs<String, any SVGAttributeValue> = [:],
         children: [SVGElement] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes.map { ($0.key, $0.value.svgText) }
        self.children = children
        self.text = text
    }

    /// The element with one more attribute (not one it already has).
    func with(_ name: String, _ value: any SVGAttributeValue) -> SVGElement {
        var copy = self
        copy.attributes.append((name, value.svgText))
        return copy
    }

    /// The element as markup.
    func render() -> String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        out += "<" + name
        for a in attributes { out += " \(a.name)=\"\(XMLText.escape(a.value))\"" }
        guard text != nil || !children.isEmpty else { out += "/>"; return }
        out += ">"
        if let text { out += XMLText.escape(text) }
        for child in children { child.render(into: &out) }
        out += "</\(name)>"
    }
}

extension SVGElement {
    /// A group, optionally classed.
    static func group(_ cssClass: String? = nil, _ children: [SVGElement]) -> SVGElement {
        var g = SVGElement("g", children: children)
        if let cssClass { g = g.with("class", cssClass) }
        return g
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cssClass: String) -> SVGElement {
        SVGElement("line", ["x1": x1, "y1": y1, "x2": x2, "y2": y2, "class": cssClass])
    }

    /// Text at a point; `anchor` is `start`, `middle` or `end`.
    static func label(_ s: String, x: Double, y: Double, anchor: String = "start", cssClass: String = "label") -> SVGElement {
        SVGElement("text", ["x": x, "y": y, "text-anchor": anchor, "class": cssClass], text: s)
    }

    /// A tooltip for the enclosing element.
    static func title(_ s: String) -> SVGElement { SVGElement("title", text: s) }

    static func polyline(_ points: [(x: Double, y: Double)], stroke: String, dashed: Bool = false) -> SVGElement {
        let list = points.map { "\($0.x.svgText),\($0.y.svgText)" }.joined(separator: " ")
        let line = SVGElement("polyline", ["points": list, "fill": "none", "stroke": stroke, "stroke-width": 1.5])
        return dashed ? line.with("stroke-dasharray", "5 4") : line
    }

    /// The root `<svg>` of a chart of the given size.
    static func root(width: Double, height: Double, cssClass: String, label: String, _ children: [SVGElement]) -> SVGElement {
        SVGElement("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": cssClass, "width": width, "height": height,
                           "viewBox": "0 0 \(width.svgText) \(height.svgText)", "role": "img", "aria-label": label],
                   children: [title(label)] + children)
    }
}
