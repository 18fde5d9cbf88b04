import Foundation
import Engine

/// rel_err of every layer as a grid: one column per layer kind (`LayerInfo.kind`), one row per block,
/// colour on a log scale between the best and the worst layer; layers without a result are grey.
enum HeatmapChart {
    /// An `<svg class="heatmap">` with a colour legend.
    static func render(_ report: RunReport) -> SVGElement {
        var kinds: [String] = [], blocks: [Int] = []
        for l in report.info.layers {
            if !kinds.contains(l.kind) { kinds.append(l.kind) }
            if !blocks.contains(l.block) { blocks.append(l.block) }
        }
        blocks.sort()
        let result = Dictionary(report.layers.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        let errors = report.layers.map(\.relErr).filter { $0 > 0 && $0.isFinite }
        let (lo, hi) = (log10(errors.min() ?? 1), log10(errors.max() ?? 1))
        func shade(_ e: Double) -> Double {
            guard e.isFinite else { return .nan }
            guard e > 0 else { return 0 }
            return hi > lo ? (log10(e) - lo) / (hi - lo) : 0.5
        }

        let cell = (w: 64.0, h: 22.0)
        let left = 56.0
        let rise = min(170, ChartFrame.textWidth(kinds.map(\.count).max() ?? 0) * 0.72)
        let top = 24 + rise
        let gridBottom = top + cell.h * Double(blocks.count)
        let width = max(left + cell.w * Double(kinds.count) + rise + 16, 380)
        var parts: [SVGElement] = [.label("block", x: 8, y: top - 6, cssClass: "axis-title")]
        for (c, kind) in kinds.enumerated() {
            let cx = left + cell.w * (Double(c) + 0.5)
            parts.append(SVGElement.label(kind, x: cx, y: top - 6, cssClass: "tick-label")
                .with("transform", "rotate(-45 \(cx.svgText) \((top - 6).svgText))"))
        }
        for (r, block) in blocks.enumerated() {
            let y = top + cell.h * Double(r)
            parts.append(.label("\(block)", x: left - 8, y: y + cell.h / 2 + 4, anchor: "end", cssClass: "tick-label"))
            for (c, kind) in kinds.enumerated() {
                guard let layer = report.info.layers.last(where: { $0.block == block && $0.kind == kind }) else { continue }
                let x = left + cell.w * Double(c)
                let summary = result[layer.name]
                let t = summary.map { shade($0.relErr) } ?? .nan
                let tip = summary.map { "\(layer.name): rel_err \(ReportNumber.relErr($0.relErr))" }
                    ?? "\(layer.name): \(report.failed[layer.name].map { "failed: \($0)" } ?? "not finished")"
                var cellParts = [SVGElement("rect", ["x": x, "y": y, "width": cell.w - 1, "height": cell.h - 1,
                                                     "fill": ColorRamp.color(t)], children: [.title(tip)])]
                if let summary {
                    cellParts.append(.label(ReportNumber.relErr(summary.relErr), x: x + cell.w / 2, y: y + cell.h / 2 + 3,
                                            anchor: "middle", cssClass: t > 0.6 ? "cell-value dark" : "cell-value"))
                }
                parts.append(.group("cell", cellParts))
            }
        }
        parts.append(ColorRamp.legend(low: ReportNumber.optionalRelErr(errors.min()), high: ReportNumber.optionalRelErr(errors.max()),
                                      title: "rel_err (log colour scale)", x: left, y: gridBottom + 14))
        return SVGElement.root(width: width, height: gridBottom + 70, cssClass: "heatmap",
                               label: "rel_err by block and layer kind", parts)
    }
}
