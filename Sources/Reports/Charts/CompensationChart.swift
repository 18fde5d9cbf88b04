import Engine
import QuantCore

/// QDEC: the mean relative layer output error against k_chunk (log axis), one line per selection method,
/// with the uncompensated error as a dashed reference.
enum CompensationChart {
    /// An `<svg class="compensation">`.
    static func render(_ sweep: CompensationSweep) -> SVGElement {
        let frame = ChartFrame(width: 560, height: 250, left: 64, right: 190, top: 28, bottom: 44)
        let kMax = Double(sweep.points.map(\.kChunk).max() ?? 1)
        let x = LinearScale(0, max(kMax, 1), range: (frame.plotLeft, frame.plotRight))
        let values = sweep.points.flatMap { [$0.baseError, $0.compensatedError] }.filter { $0 > 0 && $0.isFinite }
        let y = LogScale(values.min() ?? 0.1, values.max() ?? 1, range: (frame.plotBottom, frame.plotTop))
        var parts: [SVGElement] = [
            .label("QDEC · mean layer output error vs k_chunk", x: frame.plotLeft, y: 16, cssClass: "chart-title"),
            Axis.bottom(x, y: frame.plotBottom, gridTop: frame.plotTop, title: "k_chunk (channels per 1024)"),
            Axis.left(y, x: frame.plotLeft, gridRight: frame.plotRight, title: "rel. output error (log)"),
        ]
        var legend: [Legend.Item] = []
        if let base = sweep.points.first?.baseError {
            let level = y.position(base)
            parts.append(SVGElement.polyline([(frame.plotLeft, level), (frame.plotRight, level)], stroke: "#888888", dashed: true)
                .with("class", "reference"))
            legend.append(Legend.Item(label: "no compensation: \(ReportNumber.relErr(base))", color: "#888888", swatch: .dashed))
        }
        let selections = sweep.points.map(\.selection).reduce(into: [ChannelSelection]()) { if !$0.contains($1) { $0.append($1) } }
        for (i, selection) in selections.enumerated() {
            let color = ChartFrame.color(i)
            let points = sweep.points.filter { $0.selection == selection }.sorted { $0.kChunk < $1.kChunk }
            let xy = points.map { (x: x.position(Double($0.kChunk)), y: y.position($0.compensatedError)) }
            parts.append(SVGElement.polyline(xy, stroke: color).with("class", "series").with("data-selection", selection.rawValue))
            for (p, at) in zip(points, xy) {
                let tip = SVGElement.title("\(selection.rawValue) k_chunk \(p.kChunk): error \(ReportNumber.relErr(p.compensatedError)), "
                    + "\(sweep.metricName) \(ReportNumber.fixed(p.metric, 5)), virtual bits \(ReportNumber.fixed(p.virtualBits, 3))")
                parts.append(SVGElement("circle", ["cx": at.x, "cy": at.y, "r": 3, "fill": color], children: [tip]))
            }
            legend.append(Legend.Item(label: selection.rawValue, color: color, swatch: .line))
        }
        parts.append(Legend.render(legend, x: frame.plotRight + 12, y: frame.plotTop))
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: "compensation",
                               label: "QDEC error against k_chunk", parts)
    }
}
