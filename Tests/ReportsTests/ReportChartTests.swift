import Foundation
import Testing
import Engine
import QuantCore
@testable import Reports

/// What the report's charts promise a reader: distinct legend labels, one colour per role across layers,
/// axes fitted to the data, QDEC lines that stay visible, and labels that fit.
@Suite struct ReportChartTests {
    /// The text of every `<text …>…</text>` inside `svg` whose class is `cssClass`.
    static func texts(_ svg: String, cssClass: String) -> [String] {
        svg.components(separatedBy: "class=\"\(cssClass)\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The legend labels of each chart of a page.
    static func legends(_ html: String) -> [[String]] {
        ReportHTMLTests.svgElements(html).map { texts($0, cssClass: "legend-label") }
    }

    /// A report of two layers, both compared with GPTQ and RTN, in opposite orders.
    static func comparedReport() -> RunReport {
        let info = ReportFixture.info()
        var state = RunState()
        state.apply(.runStarted(info))
        for (i, order) in [[ReportFixture.gptq, ReportFixture.rtn], [ReportFixture.rtn, ReportFixture.gptq]].enumerated() {
            let layer = info.layers[i]
            state.apply(.layerStarted(layer: layer.name, method: ReportFixture.quantease))
            for s in ReportFixture.sweeps(4, start: 0.02) { state.apply(.sweepFinished(layer: layer.name, progress: s)) }
            state.apply(.layerFinished(ReportFixture.summary(layer, relErr: 0.0069)))
            for (k, m) in order.enumerated() { state.apply(.comparisonFinished(ReportFixture.summary(layer, method: m, relErr: 0.01 + Double(k) * 0.03))) }
        }
        return ReportFixture.report(state)
    }

    @Test func repeatedLegendLabelsAreToldApart() {
        #expect(Legend.distinct(["GPTQ 3-bit", "RTN 3-bit", "GPTQ 3-bit", "GPTQ 3-bit"]) == ["GPTQ 3-bit", "RTN 3-bit", "GPTQ 3-bit (2)", "GPTQ 3-bit (3)"])
        var report = Self.comparedReport()
        report.comparisons["0.attention.self.query"]?.append(ReportFixture.summary(report.info.layers[0], method: ReportFixture.gptq, relErr: 0.01))
        for legend in Self.legends(HTMLReport.render(report)) { #expect(Set(legend).count == legend.count, "\(legend)") }
    }

    @Test func theRunsLegendEntryNamesTheMethodOnce() {
        let html = HTMLReport.render(Self.comparedReport())
        let convergence = ReportHTMLTests.svgElements(html).filter { $0.contains("class=\"convergence\"") }
        let first = Self.texts(convergence[0], cssClass: "legend-label")
        #expect(first.first == "this run: " + ReportFixture.quantease.summary)
        #expect(first.contains("GPTQ 3-bit: 0.01") && first.contains("RTN 3-bit: 0.04"))
        #expect(!html.contains("3-bit 3-bit"))
    }

    /// The stroke of the dashed reference line labelled `label` in a convergence chart.
    static func referenceColor(_ svg: String, _ method: LayerMethod, _ roles: SeriesRoles) -> Bool {
        svg.contains("stroke=\"\(roles.color(method))\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\" class=\"reference\"")
    }

    @Test func eachRoleKeepsItsColourOnEveryLayer() {
        let report = Self.comparedReport()
        let roles = SeriesRoles(report)
        #expect(roles.methods == [ReportFixture.gptq.summary, ReportFixture.rtn.summary])
        #expect(roles.color(ReportFixture.gptq) != roles.color(ReportFixture.rtn))
        #expect(roles.color(ReportFixture.gptq) != SeriesRoles.runColor && roles.color(ReportFixture.rtn) != SeriesRoles.runColor)
        let svgs = ReportHTMLTests.svgElements(HTMLReport.render(report))
        let convergence = svgs.filter { $0.contains("class=\"convergence\"") }
        #expect(convergence.count == 2)
        for svg in convergence {
            #expect(Self.referenceColor(svg, ReportFixture.gptq, roles) && Self.referenceColor(svg, ReportFixture.rtn, roles))
            #expect(svg.contains("stroke=\"\(SeriesRoles.runColor)\" stroke-width=\"1.5\" class=\"series\""))
        }
        // The comparison bars: the run's bar always the run colour, GPTQ's always GPTQ's, on both layers.
        let bars = svgs.first { $0.contains("class=\"comparison\"") }!
        #expect(ReportHTMLTests.occurrences(of: "fill=\"\(SeriesRoles.runColor)\"><title>", in: bars) == 2)
        #expect(ReportHTMLTests.occurrences(of: "fill=\"\(roles.color(ReportFixture.gptq))\"><title>", in: bars) == 2)
        #expect(ReportHTMLTests.occurrences(of: "fill=\"\(roles.color(ReportFixture.rtn))\"><title>", in: bars) == 2)
        #expect(Self.texts(bars, cssClass: "legend-label").count == 3)
    }

    @Test func logAxesFitTheData() {
        let fitted = NiceTicks.logFitted(0.012, 0.031)
        #expect(fitted.lo > 0.01 && fitted.lo < 0.012 && fitted.hi > 0.031 && fitted.hi < 0.04)
        #expect(fitted.ticks.count >= 3 && fitted.ticks.allSatisfy { $0 >= fitted.lo && $0 <= fitted.hi })
        let wide = NiceTicks.logFitted(1e-5, 0.3)
        #expect(wide.ticks.contains(1e-4) && wide.ticks.contains(1e-2) && wide.ticks.allSatisfy { $0 >= wide.lo && $0 <= wide.hi })
        #expect(NiceTicks.logFitted(0.0142, 0.0143).ticks.count >= 1)
        // A layer whose sweeps fall from 0.02 to 0.0069: the points fill most of the plot's height.
        let report = Self.comparedReport()
        let layer = report.layers[0]
        let svg = ConvergenceChart.render(layer: layer, sweeps: report.sweeps[layer.name]!, comparisons: [], roles: SeriesRoles(report)).render()
        let ys = svg.components(separatedBy: "<circle ").dropFirst().compactMap { part -> Double? in
            guard part.contains("class=\"on-grid\""), let r = part.range(of: "cy=\"") else { return nil }
            return Double(part[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(ys.count == 4)
        #expect((ys.max()! - ys.min()!) > 0.8 * ConvergenceChart.plotHeight)
    }

    @Test func qdecAxisEndsAtTheLargestBudgetAndPlotsTheMetric() {
        var report = ReportFixture.report()
        report.compensation = ReportCompensationTests.sweep()
        let svgs = ReportHTMLTests.svgElements(HTMLReport.render(report))
        let error = svgs.first { $0.contains("class=\"compensation\"") }!
        let xTicks = error.components(separatedBy: "<g class=\"axis x-axis\">")[1].components(separatedBy: "</g>")[0]
        #expect(Self.texts(xTicks, cssClass: "tick-label") == ["0", "256", "1024"])
        #expect(NiceTicks.inside(0, 64) == [0, 20, 40, 64] && NiceTicks.inside(0, 100) == [0, 20, 40, 60, 80, 100])
        // Both selections visible where they coincide: the first drawn wider, the second dashed on top.
        #expect(error.contains("stroke-width=\"3\" class=\"series\" data-selection=\"bucket\""))
        #expect(error.contains("stroke-width=\"2.25\" class=\"series\" data-selection=\"topk\" stroke-dasharray=\"6 3\""))
        let metric = svgs.first { $0.contains("class=\"compensation-metric\"") }
        #expect(metric.map { $0.contains("embedding cosine") && $0.contains("data-selection=\"topk\"") } == true)
    }

    @Test func barLabelsFitLeftOfTheBars() {
        let long = String(repeating: "QuantEase+outliers 3-bit, 1.0% unstructured, 30 sweeps ", count: 2)
        let svg = BarChart.render([BarChart.Group(heading: "0.attention.self.query", bars: [
            BarChart.Bar(label: long, value: 0.01, color: "#000", caption: "0.01"),
            BarChart.Bar(label: "GPTQ 3-bit", value: 0.02, color: "#111", caption: "0.02"),
        ])], cssClass: "comparison", title: "t", axisTitle: "rel_err (log)", logScale: true).render()
        let labels = svg.components(separatedBy: "<text x=\"").dropFirst().compactMap { part -> (x: Double, text: String)? in
            guard part.contains("text-anchor=\"end\" class=\"tick-label\">") else { return nil }
            let x = Double(part.prefix { $0 != "\"" })!
            let text = part.components(separatedBy: "class=\"tick-label\">")[1].prefix { $0 != "<" }
            return (x, String(text))
        }
        #expect(labels.count == 2)
        for l in labels { #expect(l.x - ChartFrame.textWidth(l.text.count) >= 0, "\(l.text) starts left of the chart") }
        #expect(labels[0].text.hasSuffix("…") && svg.contains("<title>\(long)</title>"))
    }

    @Test func aResumedRunStartsAtItsFirstPartAndCountsEveryPart() {
        let t0 = Date(timeIntervalSince1970: 1_760_000_000)
        let parts = [RunPart(started: t0, ended: t0.addingTimeInterval(10)), RunPart(started: t0.addingTimeInterval(100), ended: t0.addingTimeInterval(100))]
        let t = RunTimings(started: t0.addingTimeInterval(100), finished: t0.addingTimeInterval(130), phaseSeconds: [:], solverSeconds: 1, parts: parts)
        #expect(t.started == "2025-10-09T08:53:20Z" && t.finished == "2025-10-09T08:55:30Z")
        #expect(t.totalSeconds == 40 && t.parts?.map(\.seconds) == [10, 30])
        let single = RunTimings(started: t0, finished: t0.addingTimeInterval(5), phaseSeconds: [:], solverSeconds: 1)
        #expect(single.totalSeconds == 5 && single.parts == nil && single.started == "2025-10-09T08:53:20Z")
        let state = ReportFixture.state()
        let report = try! RunReport(state: state, recipe: "", recipeName: nil, toolVersion: "0", environment: ReportFixture.environment,
                                    started: parts[1].started, finished: t0.addingTimeInterval(130), parts: parts)
        let html = HTMLReport.render(report)
        #expect(html.contains("<th>Started</th><td>2025-10-09T08:53:20Z</td>") && html.contains("<th>Wall time</th><td>40.0 s over 2 parts</td>"))
        #expect(html.contains("<th>Resumed</th><td>2025-10-09T08:55:00Z (part 2, 30.0 s)</td>"))
    }
}

extension ReportChartTests {
    @Test func aRangeAcrossADecadeGetsFewRoundTicks() {
        // 0.0035 … 0.016: 1-2-5 gives 0.005 and 0.01; the 1…9 set would crowd eight labels.
        let t = NiceTicks.logFitted(0.0035, 0.016)
        #expect(t.ticks.count >= 2 && t.ticks.count <= 7, "\(t.ticks)")
    }
}
