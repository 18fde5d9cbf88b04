import Engine

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the run's
/// facts, summary, heatmap, convergence charts, outliers, comparisons, layer table, warnings and recipe.
enum HTMLReport {
    static func render(_ r: RunReport) -> String {
        let e = XMLText.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>quantbench · \(e(r.info.model)) · \(e(r.info.method.summary))</title>
        <style>
        \(HTMLStyle.css)
        </style>
        </head>
        <body>
        <h1>quantbench run: \(e(r.info.model)) · \(e(r.info.method.summary))</h1>

        """
        if r.incomplete {
            out += "<p class=\"card banner incomplete\">Incomplete: \(r.summary.finishedLayers) of \(r.info.layers.count) layers finished (\(e(r.status.rawValue))).</p>\n"
        }
        out += "<div class=\"cards\">\n" + card("run", factTable(ReportFacts.rows(r)))
        out += card("summary", "<h2>Summary</h2>\n" + factTable(ReportFacts.summary(r))) + "</div>\n"
        out += "<h2>Error heatmap</h2>\n<div class=\"cards\">\n" + card("heatmap", HeatmapChart.render(r).render()) + "</div>\n"
        let roles = SeriesRoles(r)
        out += convergence(r, roles) + outliers(r) + comparisons(r, roles) + tuning(r) + allocation(r) + compensation(r) + layerTable(r)
        out += list("Warnings", r.warnings) + list("Errors", r.errors)
        out += "<h2>Recipe\(r.recipeName.map { ": " + e($0) } ?? "")</h2>\n"
            + card("recipe", "<details><summary>recipe text</summary>\n<pre><code>\(e(r.recipe))</code></pre>\n</details>") + "\n"
        return out + "</body>\n</html>\n"
    }

    /// A card (a bordered box the page lays out in a grid) named `name`, around `content`.
    private static func card(_ name: String, _ content: String, wide: Bool = false) -> String {
        "<section class=\"card\(wide ? " wide" : "")\" data-card=\"\(XMLText.escape(name))\">\n\(content)\n</section>\n"
    }

    private static func factTable(_ facts: [ReportFacts.Fact]) -> String {
        "<table class=\"facts\">\n" + facts.map { "<tr><th>\(XMLText.escape($0.label))</th><td>\(XMLText.escape($0.value))</td></tr>\n" }.joined() + "</table>\n"
    }

    /// One chart per finished layer that reported sweeps, in model order.
    private static func convergence(_ r: RunReport, _ roles: SeriesRoles) -> String {
        let charts = r.layers.compactMap { layer -> String? in
            guard let sweeps = r.sweeps[layer.name], !sweeps.isEmpty else { return nil }
            return card(layer.name, ConvergenceChart.render(layer: layer, sweeps: sweeps, comparisons: r.comparisons[layer.name] ?? [],
                                                            roles: roles).render())
        }
        guard !charts.isEmpty else { return "" }
        return "<h2>Convergence</h2>\n<div class=\"cards charts\">\n" + charts.joined() + "</div>\n"
    }

    private static func outliers(_ r: RunReport) -> String {
        guard r.layers.contains(where: { $0.outliers > 0 }) else { return "" }
        let bars = r.layers.map { BarChart.Bar(label: $0.name, value: Double($0.outliers), color: ChartFrame.color(0), caption: "\($0.outliers)") }
        return "<h2>Outliers</h2>\n<div class=\"cards\">\n" + card("outliers", BarChart.render([BarChart.Group(heading: nil, bars: bars)], cssClass: "outliers",
                                                       title: "Full-precision outliers per layer", axisTitle: "outliers",
                                                       logScale: false).render()) + "</div>\n"
    }

    private static func comparisons(_ r: RunReport, _ roles: SeriesRoles) -> String {
        let groups = ReportFacts.comparisonGroups(r)
        guard !groups.isEmpty else { return "" }
        var table = HTMLTable(header: ["layer", "method", "bits", "rel_err", "× run rel_err", "bits/weight", "outliers", "seconds"],
                              numeric: [2, 3, 4, 5, 6, 7])
        var chartGroups: [BarChart.Group] = []
        for g in groups {
            let results = (g.main.map { [$0] } ?? []) + g.others
            var bars: [BarChart.Bar] = []
            for (i, s) in results.enumerated() {
                let isMain = i == 0 && g.main != nil
                let ratio = isMain ? "" : g.main.map { ReportNumber.relErr(s.relErr / $0.relErr) } ?? ""
                table.add([s.name, s.method.summary + (isMain ? " (run)" : ""), "\(s.bits)", ReportNumber.relErr(s.relErr), ratio,
                           ReportNumber.fixed(s.bitsPerWeight, 2), "\(s.outliers)", ReportNumber.fixed(s.seconds, 2)])
                bars.append(BarChart.Bar(label: isMain ? SeriesRoles.runLabel(s.method) : SeriesRoles.label(s.method), value: s.relErr,
                                         color: isMain ? SeriesRoles.runColor : roles.color(s.method),
                                         caption: ReportNumber.relErr(s.relErr)))
            }
            chartGroups.append(BarChart.Group(heading: g.layer, bars: bars))
        }
        let legend = [Legend.Item(label: "this run (\(SeriesRoles.label(r.info.method)))", color: SeriesRoles.runColor, swatch: .box)]
            + roles.methods.map { Legend.Item(label: $0, color: ChartFrame.color(1 + roles.methods.firstIndex(of: $0)!), swatch: .box) }
        let chart = BarChart.render(chartGroups, cssClass: "comparison", title: "rel_err of each solve", axisTitle: "rel_err (log)",
                                    logScale: true, legend: legend)
        return "<h2>Comparisons</h2>\n<div class=\"cards\">\n" + card("comparison chart", chart.render()) + card("comparison table", table.html, wide: true) + "</div>\n"
    }

    private static func tuning(_ r: RunReport) -> String {
        guard let blocks = r.tuning, !blocks.isEmpty else { return "" }
        var table = HTMLTable(header: TuningSection.header, numeric: TuningSection.numeric)
        for row in TuningSection.rows(blocks) { table.add(row) }
        return "<h2>Block fine-tuning</h2>\n<div class=\"cards\">\n"
            + card("tuning caption", "<p>\(XMLText.escape(TuningSection.caption))</p>", wide: true) + card("tuning table", table.html, wide: true) + "</div>\n"
    }

    private static func allocation(_ r: RunReport) -> String {
        guard let plan = r.allocation else { return "" }
        var table = HTMLTable(header: AllocationSection.header, numeric: AllocationSection.numeric)
        for row in AllocationSection.rows(plan, measured: r.layers) { table.add(row) }
        return "<h2>Bit allocation</h2>\n<div class=\"cards\">\n"
            + card("allocation caption", "<p>\(XMLText.escape(AllocationSection.caption(plan)))</p>", wide: true)
            + card("allocation table", table.html, wide: true) + "</div>\n"
    }

    private static func compensation(_ r: RunReport) -> String {
        guard let sweep = r.compensation else { return "" }
        var table = HTMLTable(header: CompensationSection.header, numeric: [1, 2, 3, 4, 5, 6, 7])
        for row in CompensationSection.rows(sweep) { table.add(row) }
        return "<h2>QDEC</h2>\n<div class=\"cards charts\">\n"
            + card("qdec caption", "<p>\(XMLText.escape(CompensationSection.caption(sweep)))</p>", wide: true)
            + card("qdec error", CompensationChart.render(sweep).render()) + card("qdec metric", CompensationChart.renderMetric(sweep).render())
            + card("qdec table", table.html, wide: true) + "</div>\n"
    }

    private static func layerTable(_ r: RunReport) -> String {
        var table = HTMLTable(header: ["layer", "block", "shape", "state", "method", "bits", "rel_err", "bits/weight", "outliers", "seconds", "tokens"],
                              numeric: [1, 5, 6, 7, 8, 9, 10])
        let finished = Dictionary(r.layers.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        let listed = Dictionary(r.info.layers.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        for name in r.layerOrder {
            if let l = finished[name] {
                table.add([l.name, "\(l.block)", "\(l.rows)×\(l.cols)", r.state(of: name).description, l.method.summary, "\(l.bits)", ReportNumber.relErr(l.relErr),
                           ReportNumber.fixed(l.bitsPerWeight, 2), "\(l.outliers)", ReportNumber.fixed(l.seconds, 2), "\(l.calibrationTokens)"])
            } else if let info = listed[name] {
                let state = r.state(of: name)
                table.add([name, "\(info.block)", "\(info.rows)×\(info.cols)", state.description,
                           "", "", "", "", "", "", ""], cssClass: state.name)
            }
        }
        return "<h2>Layers</h2>\n<div class=\"cards\">\n" + card("layers", table.html, wide: true) + "</div>\n"
    }

    private static func list(_ title: String, _ items: [String]) -> String {
        items.isEmpty ? "" : "<h2>\(title)</h2>\n" + card(title.lowercased(), "<ul>\n" + items.map { "<li>\(XMLText.escape($0))</li>\n" }.joined() + "</ul>")
    }
}
