import Engine
import Foundation

/// A QDEC sweep as terminal text: per selection method, the model metric, virtual bits, recall and mean
/// layer error at every budget, then every layer's output error at every budget.
enum CompensationTable {
    static func render(_ sweep: CompensationSweep) -> String {
        var out = "QDEC: thresholds from \(sweep.calibrationPositions) calibration tokens; \(sweep.samples) held-out "
            + (sweep.kind == "embedding" ? "sentences" : "windows") + "; residual host memory "
            + String(format: "%.2f MB", Double(sweep.hostBytes) / 1e6) + "\n"
        if let ref = sweep.referencePerplexity { out += String(format: "FP32 perplexity %.4f\n", ref) }
        let bySelection = Dictionary(grouping: sweep.points, by: \.selection)
        for selection in sweep.points.map(\.selection).uniqued() {
            let points = bySelection[selection] ?? []
            out += "\n\(selection.rawValue):\n"
            out += pad(["k_chunk", sweep.metricName, sweep.kind == "embedding" ? "top-1 agree" : "", "virtual bits", "recall",
                        "layer err base", "layer err comp"].filter { !$0.isEmpty })
            for p in points {
                var row = ["\(p.kChunk)", String(format: sweep.kind == "embedding" ? "%.5f" : "%.4f", p.metric)]
                if sweep.kind == "embedding" { row.append(String(format: "%.1f%%", 100 * (p.neighbourAgreement ?? .nan))) }
                row += [String(format: "%.3f", p.virtualBits), p.recall.map { String(format: "%.3f", $0) } ?? "–",
                        String(format: "%.3g", p.baseError), String(format: "%.3g", p.compensatedError)]
                out += pad(row)
            }
            guard let first = points.first else { continue }
            out += "\nper layer (\(selection.rawValue)): relative output error at k_chunk " + points.map { "\($0.kChunk)" }.joined(separator: " / ")
                + "; recall and virtual bits at k_chunk \(points.last!.kChunk); host KB\n"
            for (i, layer) in first.layers.enumerated() {
                let errors = points.map { String(format: "%.3g", $0.layers[i].compensatedError) }.joined(separator: " / ")
                let last = points.last!.layers[i]
                out += "  \(layer.layer)  base \(String(format: "%.3g", layer.baseError))  comp \(errors)  recall "
                    + (last.recall.map { String(format: "%.3f", $0) } ?? "–")
                    + "  vbits \(String(format: "%.3f", last.virtualBits))  host \(String(format: "%.1f", Double(last.hostBytes) / 1000))\n"
            }
        }
        return out
    }

    private static func pad(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == 0 ? c.padding(toLength: 8, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 15 - c.count)) + c }
            .joined() + "\n"
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
