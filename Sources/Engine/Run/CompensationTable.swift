import Foundation
import QuantCore

/// A QDEC sweep as terminal text: per selection method, the model metric, virtual bits, recall and mean
/// layer error at every budget, then every layer's output error at every budget.
public enum CompensationTable {
    /// The progress line of one finished budget: `QDEC bucket k_chunk 8: cosine 0.99123 (3/11, 2.4 s, ETA 19 s)`;
    /// a budget-0 point shared with an earlier selection says so.
    public static func pointLine(_ progress: CompensationProgress) -> String {
        let point = progress.point
        let timing = progress.shared
            ? "shared: no compensation, evaluated once"
            : "\(progress.done)/\(progress.total), " + String(format: "%.1f s", progress.seconds)
                + (progress.eta.map { progress.done < progress.total ? String(format: ", ETA %.0f s", $0) : "" } ?? "")
        return "QDEC \(point.selection.rawValue) k_chunk \(point.kChunk): \(point.meanCosine != nil ? "cosine" : "perplexity") "
            + String(format: "%.5f", point.metric) + " (" + timing + ")"
    }

    /// The whole table.
    public static func render(_ sweep: CompensationSweep) -> String {
        let embedding = sweep.kind == "embedding"
        var out = "QDEC: thresholds from \(sweep.calibrationPositions) calibration tokens; \(sweep.samples) held-out "
            + (embedding ? "sentences" : "windows") + "; residual host memory "
            + String(format: "%.2f MB", Double(sweep.hostBytes) / 1e6) + "\n"
        if let ref = sweep.referencePerplexity { out += "\(sweep.referenceLabel) reference perplexity " + String(format: "%.4f\n", ref) }
        let bySelection = Dictionary(grouping: sweep.points, by: \.selection)
        var seen = Set<ChannelSelection>()
        for selection in sweep.points.map(\.selection) where seen.insert(selection).inserted {
            let points = bySelection[selection] ?? []
            out += "\n\(selection.rawValue):\n"
            out += pad(["k_chunk", sweep.metricName, embedding ? "top-1 agree" : "", "virtual bits", "recall",
                        "layer err base", "layer err comp"].filter { !$0.isEmpty })
            for p in points {
                var row = ["\(p.kChunk)", String(format: embedding ? "%.5f" : "%.4f", p.metric)]
                if embedding { row.append(String(format: "%.1f%%", 100 * (p.neighbourAgreement ?? .nan))) }
                row += [String(format: "%.3f", p.virtualBits), p.recall.map { String(format: "%.3f", $0) } ?? "–",
                        String(format: "%.3g", p.baseError), String(format: "%.3g", p.compensatedError)]
                out += pad(row)
            }
            guard let first = points.first, let last = points.last else { continue }
            out += "\nper layer (\(selection.rawValue)): relative output error at k_chunk " + points.map { "\($0.kChunk)" }.joined(separator: " / ")
                + "; recall and virtual bits at k_chunk \(last.kChunk); host memory of the residuals\n"
            for (i, layer) in first.layers.enumerated() where i < last.layers.count {
                let errors = points.map { i < $0.layers.count ? String(format: "%.3g", $0.layers[i].compensatedError) : "–" }.joined(separator: " / ")
                let end = last.layers[i]
                out += "  \(layer.layer)  base \(String(format: "%.3g", layer.baseError))  comp \(errors)  recall "
                    + (end.recall.map { String(format: "%.3f", $0) } ?? "–")
                    + "  vbits \(String(format: "%.3f", end.virtualBits))  host \(String(format: "%.1f", Double(end.hostBytes) / 1000)) kB\n"
            }
        }
        return out
    }

    private static func pad(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == 0 ? c.padding(toLength: 8, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 15 - c.count)) + c }
            .joined() + "\n"
    }
}
