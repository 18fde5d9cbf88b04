import Engine
import QuantCore

/// A layer's convergence: rel_err per solver report on a log axis, on-grid reports marked, the final values
/// of other solves of the same layer as dashed reference lines.
enum ConvergenceChart {
    /// An `<svg class="convergence" data-layer="NAME">`.
    static func render(layer: LayerSummary, sweeps: [SolverProgress], comparisons: [LayerSummary]) -> SVGElement {
        let frame = ChartFrame(width: 560, height: 250, left: 64, right: 190, top: 28, bottom: 44)
        let maxStep = max(1, sweeps.map { max($0.step, $0.totalSteps) }.max() ?? 1)
        let x = LinearScale(0, Double(maxStep), range: (frame.plotLeft, frame.plotRight))
        let values = sweeps.map(\.relativeError) + comparisons.map(\.relErr) + [layer.relErr]
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let y = LogScale(positive.min() ?? 0.1, positive.max() ?? 1, range: (frame.plotBottom, frame.plotTop))

        var parts: [SVGElement] = [
            .label("\(layer.name) · \(layer.method.summary) · rel_err \(ReportNumber.relErr(layer.relErr))",
                   x: frame.plotLeft, y: 16, cssClass: "chart-title"),
            Axis.bottom(x, y: frame.plotBottom, gridTop: frame.plotTop, title: "sweep / step"),
            Axis.left(y, x: frame.plotLeft, gridRight: frame.plotRight, title: "rel_err (log)"),
        ]
        var legend = [Legend.Item(label: layer.method.summary, color: ChartFrame.color(0), swatch: .line)]
        for (i, c) in comparisons.enumerated() {
            let color = ChartFrame.color(i + 1)
            let level = y.position(c.relErr)
            parts.append(SVGElement.polyline([(frame.plotLeft, level), (frame.plotRight, level)], stroke: color, dashed: true)
                .with("class", "reference"))
            legend.append(Legend.Item(label: "\(c.method.summary): \(ReportNumber.relErr(c.relErr))", color: color, swatch: .dashed))
        }
        let points = sweeps.map { (x: x.position(Double($0.step)), y: y.position($0.relativeError)) }
        parts.append(SVGElement.polyline(points, stroke: ChartFrame.color(0)).with("class", "series"))
        for (s, p) in zip(sweeps, points) {
            let tip = SVGElement.title("step \(s.step): rel_err \(ReportNumber.relErr(s.relativeError))" + (s.onGrid ? "" : " (relaxed, off grid)"))
            parts.append(SVGElement("circle", ["cx": p.x, "cy": p.y, "r": s.onGrid ? 3.5 : 2.5,
                                               "class": s.onGrid ? "on-grid" : "off-grid", "fill": s.onGrid ? ChartFrame.color(0) : "#ffffff",
                                               "stroke": ChartFrame.color(0)], children: [tip]))
        }
        if sweeps.contains(where: \.onGrid) { legend.append(Legend.Item(label: "on grid", color: ChartFrame.color(0), swatch: .dot)) }
        if sweeps.contains(where: { !$0.onGrid }) {
            legend.append(Legend.Item(label: "relaxed (off grid)", color: ChartFrame.color(0), swatch: .ring))
        }
        parts.append(Legend.render(legend, x: frame.plotRight + 12, y: frame.plotTop))
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: "convergence",
                               label: "Convergence of \(layer.name)", parts).with("data-layer", layer.name)
    }
}
