import Engine

/// The block fine-tuning section of report.md and report.html: one row per tuned block.
enum TuningSection {
    static let header = ["block", "error before", "error after", "lower by", "epochs", "steps", "stopped", "seconds"]
    static let numeric: Set<Int> = [1, 2, 3, 4, 5, 7]
    static let caption = "The relative output error of each quantized block against the full-precision block on the held-out "
        + "calibration windows, before and after fine-tuning; the layers' rel_err is their layer-wise solve's."

    static func rows(_ blocks: [BlockTuningSummary]) -> [[String]] {
        blocks.map { b in
            ["\(b.block)", ReportNumber.relErr(b.before), ReportNumber.relErr(b.after),
             ReportNumber.fixed(100 * (1 - b.after / max(b.before, 1e-300)), 1) + "%", "\(b.epochsRun)", "\(b.steps)", b.stop.rawValue,
             ReportNumber.fixed(b.seconds, 1)]
        }
    }
}

/// The bit allocation section of report.md and report.html: each layer's choice, predicted against measured.
enum AllocationSection {
    static let header = ["layer", "chosen", "bits/weight", "predicted rel_err", "measured rel_err", "sensitivity", "predicted damage"]
    static let numeric: Set<Int> = [2, 3, 4, 5, 6]

    static func rows(_ plan: AllocationPlan, measured layers: [LayerSummary]) -> [[String]] {
        let measured = Dictionary(layers.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        return plan.layers.map { l in
            [l.name, plan.candidates[l.choice].summary, ReportNumber.fixed(l.points[l.choice].bitsPerWeight, 3),
             ReportNumber.relErr(l.points[l.choice].relativeError), ReportNumber.optionalRelErr(measured[l.name]?.relErr),
             ReportNumber.relErr(l.sensitivity), ReportNumber.relErr(l.damage(l.choice))]
        }
    }

    /// The budget, what the plan stores, and the predicted end-to-end metric.
    static func caption(_ plan: AllocationPlan) -> String {
        "Budget \(plan.budget) bits/weight; the plan stores \(ReportNumber.fixed(plan.bitsPerWeight, 3)). Predicted damage "
            + "(\(plan.metric.rawValue)) \(ReportNumber.relErr(plan.predictedDamage))"
            + (plan.predictedMetric().map { ", an embedding cosine of \(ReportNumber.fixed($0, 5))" } ?? "")
            + ". Predicted rel_err is the candidate's on full-precision inputs; measured is the run's, on the pipeline's inputs."
    }
}
