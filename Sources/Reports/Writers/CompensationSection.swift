import Engine

/// The QDEC section of report.md and report.html: one row per selection method and budget.
enum CompensationSection {
    static let header = ["selection", "k_chunk", "channels (first layer)", "metric", "virtual bits", "recall", "layer err base", "layer err comp"]

    static func rows(_ sweep: CompensationSweep) -> [[String]] {
        sweep.points.map { p in
            [p.selection.rawValue, "\(p.kChunk)", p.layers.first.map { "\($0.channels)" } ?? "",
             ReportNumber.fixed(p.metric, sweep.kind == "embedding" ? 5 : 4), ReportNumber.fixed(p.virtualBits, 3),
             p.recall.map { ReportNumber.fixed($0, 3) } ?? "–", ReportNumber.relErr(p.baseError), ReportNumber.relErr(p.compensatedError)]
        }
    }

    /// One sentence on what was measured.
    static func caption(_ sweep: CompensationSweep) -> String {
        "Dynamic error compensation on every quantized layer: \(sweep.metricName) over \(sweep.samples) held-out "
            + (sweep.kind == "embedding" ? "sentences" : "windows")
            + (sweep.referencePerplexity.map { " (\(sweep.referenceLabel) reference perplexity \(ReportNumber.fixed($0, 4)))" }
                ?? " against the \(sweep.referenceLabel) reference")
            + ", thresholds from \(sweep.calibrationPositions) calibration tokens, residual host memory "
            + ReportNumber.fixed(Double(sweep.hostBytes) / 1e6, 2) + " MB."
    }
}
