import Foundation

/// A sequential colour ramp (pale yellow → orange → dark red) for heatmaps, and its legend.
enum ColorRamp {
    private static let stops: [(r: Double, g: Double, b: Double)] = [
        (255, 255, 204), (254, 217, 118), (253, 141, 60), (227, 26, 28), (128, 0, 38),
    ]
    /// The colour of cells without a value.
    static let missing = "#d0d0d0"

    /// The colour at `t` in 0…1 (clamped); non-finite `t` gives the missing colour.
    static func color(_ t: Double) -> String {
        guard t.isFinite else { return missing }
        let x = min(1, max(0, t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        let f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func mix(_ u: Double, _ v: Double) -> Int { Int((u + (v - u) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }

    /// A stepped colour bar from `low` to `high` with its end labels and a missing-value swatch, top-left at `x, y`.
    static func legend(low: String, high: String, title: String, x: Double, y: Double, width: Double = 200,
                       steps: Int = 10) -> SVGElement {
        let w = width / Double(steps)
        var parts = [SVGElement.label(title, x: x, y: y + 10, cssClass: "legend-title")]
        for i in 0..<steps {
            parts.append(SVGElement("rect", ["x": x + Double(i) * w, "y": y + 16, "width": w + 0.5, "height": 12,
                                             "fill": color(Double(i) / Double(steps - 1))]))
        }
        parts.append(.label(low, x: x, y: y + 42, cssClass: "tick-label"))
        parts.append(.label(high, x: x + width, y: y + 42, anchor: "end", cssClass: "tick-label"))
        parts.append(SVGElement("rect", ["x": x + width + 16, "y": y + 16, "width": 12, "height": 12, "fill": missing]))
        parts.append(.label("not finished", x: x + width + 32, y: y + 26, cssClass: "tick-label"))
        return .group("legend", parts)
    }
}
