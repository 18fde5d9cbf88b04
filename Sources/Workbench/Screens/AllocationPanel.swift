import TUIKit
import Engine
import QuantCore

/// The bit allocation view (`a`): the budget tried and its plan, what the run follows, the predicted damage
/// against the budget with a cursor at the one tried, a table of the candidates (the layers the plan gives
/// each, and each as a uniform configuration), and, where there is room, every layer by sensitivity.
struct AllocationPanel {
    var state: AppState
    var run: RunState

    /// The per-layer table's width and the body width from which it stands beside the chart.
    static let layerTableWidth = 62
    static let sideBySideWidth = 130

    private var view: AllocationView { state.allocation }

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        guard let plan = view.plan else { return }
        let size = Size(width: min(150, buffer.size.width - 4), height: min(44, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Bit allocation " + g.dot + " predicted " + plan.metric.rawValue, on: &buffer, palette: palette)
        guard inner.height >= 10, inner.width >= 30 else { return }
        let x = inner.x + 1, width = inner.width - 2
        buffer.put(settingsLine(plan, g), at: Point(x: x, y: inner.y), style: palette.style(.graphText), maxWidth: width)
        let (status, key) = statusLine(plan, g)
        buffer.put(status, at: Point(x: x, y: inner.y + 1), style: palette.style(key), maxWidth: width)
        let keys = [([.left, .right], "budget by \(AllocationView.budgetText(AllocationView.step))"), ([.home, .end], "least / most"),
                    ([.enter], "apply"), ([.escape], "close")].map { (k: [Key], label: String) in k.map { $0.label(g) }.joined(separator: "/") + " " + label }
        buffer.put(keys.joined(separator: "  "), at: Point(x: x, y: inner.maxY - 1), style: palette.style(.inactiveFg), maxWidth: width)
        var body = Rect(x: x, y: inner.y + 3, width: width, height: inner.height - 5)
        if body.width >= Self.sideBySideWidth {
            drawLayers(plan, in: Rect(x: body.maxX - Self.layerTableWidth, y: body.y, width: Self.layerTableWidth, height: body.height),
                       on: &buffer, palette: palette)
            body.width -= Self.layerTableWidth + 2
        }
        let tableHeight = min(plan.candidates.count + 2, body.height / 2)
        drawCandidates(plan, in: Rect(x: body.x, y: body.maxY - tableHeight, width: body.width, height: tableHeight), on: &buffer, palette: palette)
        drawChart(plan, in: Rect(x: body.x, y: body.y, width: body.width, height: body.height - tableHeight - 1), on: &buffer, palette: palette)
    }

    /// `budget 3.25 · plan 3.245 bits/w · predicted embedding cosine 0.97214 · feasible 2.03 to 8.03 · 36 layers, 8 candidates`.
    private func settingsLine(_ plan: AllocationPlan, _ g: GlyphSet) -> String {
        let dot = " " + g.dot + " ", range = plan.feasibleBudgets
        return "budget " + AllocationView.budgetText(plan.budget) + dot + "plan " + Text.fixed(plan.bitsPerWeight, 3) + " bits/w"
            + dot + "predicted " + plan.predictedText(times: g.times) + dot + "feasible " + Text.fixed(range.lowerBound, 2) + " to "
            + Text.fixed(range.upperBound, 2) + dot + "\(plan.layers.count) layers, \(plan.candidates.count) candidates"
    }

    /// What the run follows and what ⏎ would change.
    private func statusLine(_ plan: AllocationPlan, _ g: GlyphSet) -> (String, ThemeKey) {
        if let op = state.pending, case .following = op.kind { return (op.text(ellipsis: g.ellipsis), .runningFg) }
        let changed = view.offPlan(run).count
        let toCome = AllocationView.layersToCome(run)
        let solved = "\(changed) solved layer\(changed == 1 ? "" : "s")"
        guard let applied = run.allocation, applied.budget == plan.budget else {
            let followed = run.allocation.map { "the run follows the " + AllocationView.budgetText($0.budget) + " bits/w plan" } ?? ""
            return (followed + "; \(g.enter) applies this one: " + solved + " solved again, \(toCome) to come", .hiFg)
        }
        if changed > 0 { return ("the run follows this plan; " + solved + " differ from it (solved before it or by hand): \(g.enter) solves them again", .warningFg) }
        return ("the run follows this plan" + (toCome > 0 ? ", \(toCome) layers to come" : ""), .doneFg)
    }

    private func drawChart(_ plan: AllocationPlan, in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.height >= 4 else { return }
        buffer.put("predicted " + plan.metric.rawValue + " against the budget (bits/weight)", at: Point(x: rect.x, y: rect.y),
                   style: palette.style(.title), maxWidth: rect.width)
        var series = [ChartSeries(label: "plan", values: view.curve.map(\.damage), color: .hiFg)]
        if let applied = run.allocation, applied.budget != plan.budget {
            series.append(ChartSeries(label: "applied " + AllocationView.budgetText(applied.budget), values: [applied.predictedDamage], kind: .reference,
                                      color: .doneFg))
        }
        LineChart(series: series, steps: view.curve.count, marker: state.marker, xLabel: "", fit: .all, cursor: view.cursor,
                  stepName: "budget", stepLabels: view.curve.map { AllocationView.budgetText(($0.budget * 1000).rounded() / 1000) })
            .draw(in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), on: &buffer, palette: palette)
    }

    /// One row per candidate: the layers the plan gives it, and every layer at it (the uniform configuration);
    /// the best uniform one within the budget is marked, and the plan's row closes the table.
    private func drawCandidates(_ plan: AllocationPlan, in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let counts = Dictionary(grouping: plan.layers, by: \.choice).mapValues(\.count)
        let uniform = plan.candidates.indices.map { (bits: plan.uniformBits($0), damage: plan.uniformDamage($0)) }
        let best = uniform.indices.filter { uniform[$0].bits <= plan.budget + 1e-9 }.min { uniform[$0].damage < uniform[$1].damage }
        let damage = "predicted " + (plan.metric == .embeddingCosine ? "cosine" : "NLL rise")
        var rows = plan.candidates.indices.map { c in
            TableRow(cells: [plan.candidates[c].summary, counts[c].map(String.init) ?? "", Text.fixed(uniform[c].bits, 3), value(uniform[c].damage, plan.metric),
                             c == best ? "best uniform in budget" : ""],
                     styles: [palette.main, palette.style(.hiFg), palette.style(.graphText), palette.main,
                              palette.style(.doneFg)])
        }
        rows.append(TableRow(cells: ["the plan", "\(plan.layers.count)", Text.fixed(plan.bitsPerWeight, 3), value(plan.predictedDamage, plan.metric), ""],
                             styles: [palette.style(.hiFg).with(.bold)]))
        Table(columns: [TableColumn("candidate", width: 0), TableColumn("layers", width: 6, rightAligned: true),
                        TableColumn("bits/w", width: 7, rightAligned: true), TableColumn(damage, width: 18, rightAligned: true),
                        TableColumn("", width: 22)],
              rows: rows, selected: nil, offset: 0).draw(in: rect, on: &buffer, palette: palette)
    }

    /// The predicted value as the tables write it: the cosine, or the NLL rise.
    private func value(_ damage: Double, _ metric: AllocationPlan.Metric) -> String {
        metric == .embeddingCosine ? Text.fixed(1 - damage, 5) : Text.fixed(damage, 4)
    }

    /// Every layer by sensitivity, largest first: its choice under the plan (marked where it differs from what
    /// it was solved with), its sensitivity and its predicted damage.
    private func drawLayers(_ plan: AllocationPlan, in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let labels = AllocationView.shortLabels(plan.candidates)
        let off = Set(view.offPlan(run).map { run.layers[$0.row].info.name })
        let rows = plan.layers.sorted { $0.sensitivity > $1.sensitivity }.map { l in
            TableRow(cells: [l.name, labels[l.choice], Text.scientific(l.sensitivity), Text.scientific(l.damage(l.choice))],
                     styles: [palette.main, palette.style(off.contains(l.name) ? .warningFg : .hiFg), palette.style(.graphText), palette.main])
        }
        Table(columns: [TableColumn("layer by sensitivity", width: 0), TableColumn("plan", width: 12), TableColumn("sens", width: 8, rightAligned: true),
                        TableColumn("damage", width: 8, rightAligned: true)],
              rows: rows, selected: nil, offset: 0).draw(in: rect, on: &buffer, palette: palette)
    }
}
