import Engine
import QuantCore

/// QDEC against k_chunk, one series per selection method, in two charts: the mean relative layer output
/// error (log axis, the uncompensated error as a dashed reference) and the end-to-end metric (embedding
/// cosine or perplexity). Each selection has its own colour, dash, marker and width, drawn widest first,
/// so lines that coincide stay visible; the x-axis ends at the largest budget.
enum CompensationChart {
    /// The output-error chart, `<svg class="compensation">`.
    static func render(_ sweep: CompensationSweep) -> SVGElement {
        let values = sweep.points.flatMap { [$0.baseError, $0.compensatedError] }.filter { $0 > 0 && $0.isFinite }
        var reference: [Legend.Item] = []
        var base: Double?
        if let b = sweep.points.first?.baseError {
            base = b
            reference.append(Legend.Item(label: "no compensation: \(ReportNumber.relErr(b))", color: "#888888", swatch: .dashed))
        }
        return chart(sweep, cssClass: "compensation", title: "QDEC · mean layer output error vs k_chunk", yTitle: "rel. output error (log)",
                     value: \.compensatedError, reference: base, referenceItems: reference, format: ReportNumber.relErr) { lo, hi, range in
            LogScale(lo, hi, range: range, fitted: true)
        } extent: { _ in values }
    }

    /// The end-to-end chart, `<svg class="compensation-metric">`: cosine (encoders) or perplexity (causal LMs),
    /// with the reference perplexity as a dashed line when there is one.
    static func renderMetric(_ sweep: CompensationSweep) -> SVGElement {
        let name = sweep.kind == "embedding" ? "embedding cosine" : "perplexity"
        let digits = sweep.kind == "embedding" ? 5 : 3
        var items: [Legend.Item] = []
        if let ref = sweep.referencePerplexity {
            items.append(Legend.Item(label: "\(sweep.referenceLabel) reference: \(ReportNumber.fixed(ref, digits))", color: "#888888", swatch: .dashed))
        }
        return chart(sweep, cssClass: "compensation-metric", title: "QDEC · \(name) vs k_chunk", yTitle: name,
                     value: \.metric, reference: sweep.referencePerplexity, referenceItems: items, format: { ReportNumber.fixed($0, digits) }) { lo, hi, range in
            LinearScale(lo, hi, range: range, tickCount: 5)
        } extent: { values in values + (sweep.referencePerplexity.map { [$0] } ?? []) }
    }

    /// How selection `i` is drawn: colour, dash, marker and width (the first drawn widest, under the others).
    static func style(_ i: Int) -> (color: String, dash: String?, marker: Marker, width: Double) {
        let dashes: [String?] = [nil, "6 3", "2 3", "9 3 2 3"]
        let markers: [Marker] = [.square, .circle, .triangle, .diamond]
        return (ChartFrame.color(i), dashes[i % dashes.count], markers[i % markers.count], max(1.25, 3 - 0.75 * Double(i)))
    }

    /// The selection methods of a sweep, in the order it ran them.
    static func selections(_ sweep: CompensationSweep) -> [ChannelSelection] {
        sweep.points.map(\.selection).reduce(into: [ChannelSelection]()) { if !$0.contains($1) { $0.append($1) } }
    }

    private static func chart(_ sweep: CompensationSweep, cssClass: String, title: String, yTitle: String,
                              value: KeyPath<CompensationSweep.Point, Double>, reference: Double?, referenceItems: [Legend.Item],
                              format: (Double) -> String,
                              scale: (Double, Double, (start: Double, end: Double)) -> any ChartScale,
                              extent: ([Double]) -> [Double]) -> SVGElement {
        let selections = selections(sweep)
        var legend = referenceItems
        for (i, selection) in selections.enumerated() {
            let s = style(i)
            legend.append(Legend.Item(label: selection.rawValue, color: s.color, swatch: .line, dash: s.dash, marker: s.marker))
        }
        let plotHeight = 178.0, legendHeight = Legend.height(legend.count) + 4
        let frame = ChartFrame(width: 560, height: 28 + plotHeight + 44 + legendHeight, left: 64, right: 16, top: 28, bottom: 44 + legendHeight)
        let ks = sweep.points.map { Double($0.kChunk) }
        let kMax = max(ks.max() ?? 1, 1)
        let x = LinearScale(exactly: 0, kMax, ticks: budgetTicks(ks, kMax: kMax, width: frame.plotRight - frame.plotLeft),
                            range: (frame.plotLeft, frame.plotRight))
        let values = extent(sweep.points.map { $0[keyPath: value] }).filter(\.isFinite)
        let y = scale(values.min() ?? 0.1, values.max() ?? 1, (frame.plotBottom, frame.plotTop))
        var parts: [SVGElement] = [
            .label(ChartFrame.fit(title, width: frame.width - 16), x: 8, y: 16, cssClass: "chart-title"),
            Axis.bottom(x, y: frame.plotBottom, gridTop: frame.plotTop, title: "k_chunk (channels per 1024)"),
            Axis.left(y, x: frame.plotLeft, gridRight: frame.plotRight, title: yTitle),
        ]
        if let reference {
            let level = y.position(reference)
            parts.append(SVGElement.polyline([(frame.plotLeft, level), (frame.plotRight, level)], stroke: "#888888", dashed: true)
                .with("class", "reference"))
        }
        for (i, selection) in selections.enumerated() {
            let s = style(i)
            let points = sweep.points.filter { $0.selection == selection }.sorted { $0.kChunk < $1.kChunk }
            let xy = points.map { (x: x.position(Double($0.kChunk)), y: y.position($0[keyPath: value])) }
            var line = SVGElement.polyline(xy, stroke: s.color).with("class", "series").with("data-selection", selection.rawValue)
            line.attributes = line.attributes.map { $0.name == "stroke-width" ? ($0.name, s.width.svgText) : $0 }
            if let dash = s.dash { line = line.with("stroke-dasharray", dash) }
            parts.append(line)
            for (p, at) in zip(points, xy) {
                let tip = SVGElement.title("\(selection.rawValue) k_chunk \(p.kChunk): error \(ReportNumber.relErr(p.compensatedError)), "
                    + "\(sweep.metricName) \(format(p.metric)), virtual bits \(ReportNumber.fixed(p.virtualBits, 3))")
                parts.append(s.marker.element(x: at.x, y: at.y, color: s.color, children: [tip]))
            }
        }
        parts.append(Legend.render(legend, x: frame.plotLeft, y: frame.plotBottom + 42, width: frame.plotRight - frame.plotLeft))
        return SVGElement.root(width: frame.width, height: frame.height, cssClass: cssClass, label: title, parts)
    }

    /// Ticks at the budgets the sweep ran (0, 4, 8, 16, 32, 64), thinned where labels would touch.
    static func budgetTicks(_ ks: [Double], kMax: Double, width: Double) -> [Double] {
        var ticks: [Double] = []
        for k in Set(ks).sorted(by: >) where ticks.last.map({ ($0 - k) / kMax * width >= 22 }) ?? true { ticks.append(k) }
        return ticks.reversed()
    }
}
