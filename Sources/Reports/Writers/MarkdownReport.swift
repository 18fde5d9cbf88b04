import Engine

/// `report.md`: the run's header facts, status, summary statistics, layer table, comparisons, warnings,
/// errors and recipe, every user string escaped.
enum MarkdownReport {
    static func render(_ r: RunReport) -> String {
        let e = MarkdownText.escape
        var out = "# quantbench run: \(e(r.info.model)) · \(e(r.info.method.summary))\n\n"
        let facts = ReportFacts.rows(r).map { [e($0.label), e($0.value)] }
        out += MarkdownText.table(["", ""], right: [], facts) + "\n"
        if r.incomplete { out += "> **Incomplete:** \(r.summary.finishedLayers) of \(r.info.layers.count) layers finished.\n\n" }
        out += "## Summary\n\n" + ReportFacts.summary(r).map { "- \(e($0.label)): \(e($0.value))\n" }.joined() + "\n"
        out += layers(r) + tuning(r) + allocation(r) + comparisons(r) + compensation(r)
        out += list("Warnings", r.warnings) + list("Errors", r.errors)
        out += "## Recipe\n\n" + (r.recipeName.map { "Name: \(e($0))\n\n" } ?? "") + MarkdownText.block(r.recipe)
        return out
    }

    private static func layers(_ r: RunReport) -> String {
        var out = "## Layers\n\n"
        if r.layers.isEmpty {
            out += "No layer finished.\n\n"
        } else {
            let rows = r.layers.map { l in
                [MarkdownText.code(l.name), "\(l.block)", "\(l.rows)×\(l.cols)", MarkdownText.escape(r.state(of: l.name).description),
                 MarkdownText.escape(l.method.summary), "\(l.bits)",
                 ReportNumber.relErr(l.relErr), ReportNumber.fixed(l.bitsPerWeight, 2), "\(l.outliers)",
                 ReportNumber.fixed(l.seconds, 2)]
            }
            out += MarkdownText.table(["layer", "block", "shape", "state", "method", "bits", "rel_err", "bits/weight", "outliers", "seconds"],
                                      right: [1, 5, 6, 7, 8, 9], rows) + "\n"
        }
        let failed = r.layerOrder.compactMap { name in r.failed[name].map { (name, $0) } }
        for (name, message) in failed { out += "- Failed: \(MarkdownText.code(name)): \(MarkdownText.escape(message))\n" }
        let finished = Set(r.layers.map(\.name))
        let unfinished = r.info.layers.filter { !finished.contains($0.name) && r.failed[$0.name] == nil }
        for layer in unfinished {
            if case .cancelled = r.state(of: layer.name) {
                out += "- Cancelled: \(MarkdownText.code(layer.name)): \(r.state(of: layer.name).description)\n"
            }
        }
        let pending = unfinished.filter { r.state(of: $0.name).name != "cancelled" }
        if !pending.isEmpty { out += "- Not finished: \(pending.count) layer\(pending.count == 1 ? "" : "s")\n" }
        return out + (failed.isEmpty && unfinished.isEmpty ? "" : "\n")
    }

    private static func comparisons(_ r: RunReport) -> String {
        let groups = ReportFacts.comparisonGroups(r)
        guard !groups.isEmpty else { return "" }
        func row(_ s: LayerSummary, method: String, ratio: String) -> [String] {
            [MarkdownText.code(s.name), method, "\(s.bits)", ReportNumber.relErr(s.relErr), ratio,
             ReportNumber.fixed(s.bitsPerWeight, 2), "\(s.outliers)", ReportNumber.fixed(s.seconds, 2)]
        }
        var rows: [[String]] = []
        for g in groups {
            if let main = g.main { rows.append(row(main, method: MarkdownText.escape(main.method.summary) + " (run)", ratio: "")) }
            for s in g.others {
                let ratio = g.main.map { ReportNumber.relErr(s.relErr / $0.relErr) } ?? ""
                rows.append(row(s, method: MarkdownText.escape(s.method.summary), ratio: ratio))
            }
        }
        return "## Comparisons\n\n" + MarkdownText.table(
            ["layer", "method", "bits", "rel_err", "× run rel_err", "bits/weight", "outliers", "seconds"],
            right: [2, 3, 4, 5, 6, 7], rows) + "\n"
    }

    private static func tuning(_ r: RunReport) -> String {
        guard let blocks = r.tuning, !blocks.isEmpty else { return "" }
        return "## Block fine-tuning\n\n" + MarkdownText.escape(TuningSection.caption) + "\n\n"
            + MarkdownText.table(TuningSection.header, right: TuningSection.numeric, TuningSection.rows(blocks)) + "\n"
    }

    private static func allocation(_ r: RunReport) -> String {
        guard let plan = r.allocation else { return "" }
        return "## Bit allocation\n\n" + MarkdownText.escape(AllocationSection.caption(plan)) + "\n\n"
            + MarkdownText.table(AllocationSection.header, right: AllocationSection.numeric, AllocationSection.rows(plan, measured: r.layers)) + "\n"
    }

    private static func compensation(_ r: RunReport) -> String {
        guard let sweep = r.compensation else { return "" }
        return "## QDEC\n\n" + MarkdownText.escape(CompensationSection.caption(sweep)) + "\n\n"
            + MarkdownText.table(CompensationSection.header, right: [1, 2, 3, 4, 5, 6, 7], CompensationSection.rows(sweep)) + "\n"
    }

    private static func list(_ title: String, _ items: [String]) -> String {
        items.isEmpty ? "" : "## \(title)\n\n" + items.map { "- \(MarkdownText.escape($0))\n" }.joined() + "\n"
    }
}
