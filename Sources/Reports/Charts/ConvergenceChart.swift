import Engine
import QuantCore

/// A layer's convergence: rel_err per solver report on a log axis fitted to the data, on-grid reports
/// marked, the final values of other solves of the same layer as dashed reference lines in their method's
/// colour; the legend under the plot.
enum ConvergenceChart {
    /// The size every chart of a report shares: width and the plot's height.
    static let width = 560.0, plotHeight = 178.0

    /// An `<svg class="convergence" data-layer="NAME">`.
    static func render(layer: LayerSummary, sweeps: [SolverProgress], comparisons: [LayerSummary], roles: SeriesRoles) -> SVGElement {
        var legend = [Legend.Item(label: SeriesRoles.runLabel(layer.method), color: SeriesRoles.runColor, swatch: .line)]
        for c in comparisons {
            legend.append(Legend.Item(label: "\(SeriesRoles.label(c.method)): \(ReportNumber.relErr(c.relErr))", color: roles.color(c.method),
                                      swatch: .dashed))
        }
        if sweeps.contains(where: \.onGrid) { legend.append(Legend.Item(label: "on grid", color: SeriesRoles.runColor, swatch: .dot)) }
        if sweeps.contains(where: { !$0.onGrid }) {
            legend.append(Legend.Item(label: "relaxed (off grid)", color: SeriesRoles.runColor, swatch: .ring))
        }
        let frame = ChartFrame(width: width, height: 28 + plotHeight + 44 + Legend.height(legend.count) + 4,
                               left: 64, right: 16, top: 28, bottom: 44 + Legend.height(legend.count) + 4)
        let maxStep = max(1, sweeps.map { max($0.step, $0.totalSteps) }.max() ?? 1)
        let x = LinearScale(exactly: 0, Double(maxStep), ticks: NiceTicks.inside(0, Double(maxStep)), range: (frame.plotLeft, frame.plotRight))
        let values = sweeps.map(\.relativeError) + comparisons.map(\.relErr) + [layer.relErr]
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let y = LogScale(positive.min() ?? 0.1, positive.max() ?? 1, range: (frame.plotBottom, frame.plotTop), fitted: true)

        let title = "\(layer.name) · rel_err \(ReportNumber.relErr(layer.relErr))"
        var parts: [SVGElement] = [
            .label(ChartFrame.fit(title, width: frame.width - 16), x: 8, y: 16, cssClass: "chart-title"),
            Axis.bottom(x, y: frame.plotBottom, gridTop: frame.plotTop, title: "sweep / step"),
            Axis.left(y, x: frame.plotLeft, gridRight: frame.plotRight, title: "rel_err (log)"),
        ]
        for c in comparisons {
            let level = y.position(c.relErr)
            parts.append(SVGElement.polyline([(frame.plotLeft, level), (frame.plotRight, level)], stroke: roles.color(c.method), dashed: true)
                .with("class", "reference"))
        }
        let points = sweeps.map { (x: x.position(Double($0.step)), y: y.position($0.relativeError)) }
        parts.append(SVGElement.polyline(points, stroke: SeriesRoles.runColor).with("class", "series"))
        for (s, p) in zip(sweeps, points) {
            let tip = SVGElement.title("step \(s.step): rel_err \(ReportNumber.relErr(s.relativeError))" + (s.onGrid ? "" : " (relaxed, off grid)"))
            parts.append(SVGElement("circle", ["cx": p.x, "cy": p.y, "r": s.onGrid ? 3.5 : 2.5,
                                               "class": s.onGrid ? "on-grid" : "off-grid", "fill": s.onGrid ? SeriesRoles.runColor : "#ffffff",
                                               "stroke": SeriesRoles.runColor], children: [tip]))
        }
        parts.append(Legend.render(legend, x: frame.plotLeft, y: frame.plotBottom + 42, width: frame.plotRight - frame.plotLeft))
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: "convergence",
                               label: "Convergence of \(layer.name)", parts).with("data-layer", layer.name)
    }
}
