import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Engine
@testable import Reports

@Suite struct ReportHTMLTests {
    /// Every `<svg …>…</svg>` element of a page (charts are never nested).
    static func svgElements(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<svg "), let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex) {
            out.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return out
    }

    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// XML well-formedness of one SVG element.
    static func parses(_ svg: String) -> Bool { XMLParser(data: Data(svg.utf8)).parse() }

    @Test func oneConvergenceChartPerFinishedLayerWithSweeps() {
        let html = HTMLReport.render(ReportFixture.report())
        let charts = Self.svgElements(html).filter { $0.contains("class=\"convergence\"") }
        #expect(Self.occurrences(of: "class=\"convergence\"", in: html) == ReportFixture.chartedLayers.count)
        let layers = charts.compactMap { svg -> String? in
            guard let r = svg.range(of: "data-layer=\""), let end = svg[r.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(svg[r.upperBound..<end])
        }
        #expect(layers == ReportFixture.chartedLayers)
        // The compared layer has a dashed GPTQ reference line; its relaxed sweep is drawn off grid.
        let compared = charts[0]
        #expect(compared.contains("class=\"reference\"") && compared.contains("stroke-dasharray") && compared.contains("GPTQ 3-bit"))
        #expect(Self.occurrences(of: "class=\"on-grid\"", in: compared) == 5 && Self.occurrences(of: "class=\"off-grid\"", in: compared) == 1)
        #expect(!charts[1].contains("class=\"reference\""))
    }

    @Test func heatmapHasACellPerLayerGreyWhereUnfinishedAndALegend() throws {
        let html = HTMLReport.render(ReportFixture.report())
        let heatmaps = Self.svgElements(html).filter { $0.contains("class=\"heatmap\"") }
        try #require(heatmaps.count == 1)
        let heatmap = heatmaps[0]
        #expect(Self.occurrences(of: "<g class=\"cell\">", in: heatmap) == 12)
        #expect(Self.occurrences(of: "fill=\"\(ColorRamp.missing)\"", in: heatmap) == 4 + 1)   // 4 unfinished cells + legend swatch
        #expect(heatmap.contains("<g class=\"legend\">") && heatmap.contains("rel_err (log colour scale)"))
        #expect(heatmap.contains("1.attention.self.key: failed: Σ is not positive-definite"))
        for kind in ReportFixture.kinds.map(\.0) { #expect(heatmap.contains(">\(kind)</text>")) }
    }

    @Test func pageIsSelfContainedWithWellFormedSVG() {
        let html = HTMLReport.render(ReportFixture.report())
        let svgs = Self.svgElements(html)
        #expect(Self.occurrences(of: "<svg ", in: html) == Self.occurrences(of: "</svg>", in: html))
        #expect(svgs.count == ReportFixture.chartedLayers.count + 3)   // convergence, heatmap, outliers, comparison
        for svg in svgs { #expect(Self.parses(svg)) }
        #expect(svgs.contains { $0.contains("class=\"outliers\"") } && svgs.contains { $0.contains("class=\"comparison\"") })
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("@import"))
        #expect(Self.occurrences(of: "http", in: html) == Self.occurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", in: html))
        #expect(html.contains("<style>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("Incomplete: 8 of 12 layers finished"))
    }

    @Test func noOutlierChartWithoutOutliersAndNoComparisonWithoutComparisons() {
        var state = RunState()
        state.apply(.runStarted(ReportFixture.info()))
        state.apply(.layerFinished(ReportFixture.summary(state.layers[0].info, relErr: 0.02)))
        let html = HTMLReport.render(ReportFixture.report(state))
        #expect(!html.contains("class=\"outliers\"") && !html.contains("class=\"comparison\"") && !html.contains("class=\"convergence\""))
        #expect(html.contains("class=\"heatmap\""))
    }

    @Test func userStringsAreEscaped() {
        let name = "0.attn<&>\"x\""
        let state = ReportFixture.state(ReportFixture.info(model: "<b>m&m</b>", names: ["0.attention.self.query": name]))
        let html = HTMLReport.render(ReportFixture.report(state, recipe: "note: </pre><script>alert(1)</script>"))
        #expect(!html.contains(name) && !html.contains("<b>m&m") && !html.contains("<script"))
        #expect(html.contains("data-layer=\"0.attn&lt;&amp;&gt;&quot;x&quot;\""))
        #expect(html.contains("&lt;b&gt;m&amp;m&lt;/b&gt;") && html.contains("&lt;/pre&gt;&lt;script&gt;"))
        let svgs = Self.svgElements(html)
        #expect(svgs.filter { $0.contains("class=\"convergence\"") }.count == ReportFixture.chartedLayers.count)
        for svg in svgs { #expect(Self.parses(svg)) }
    }

    @Test func absurdNumbersFromAHandEditedRunFileRenderWithoutTrapping() {
        var r = ReportFixture.report()
        r.info.layers[0].rows = .max
        r.info.layers[0].cols = .max
        r.layers[0].relErr = .nan
        r.layers[1].relErr = -1
        r.layers[2].seconds = 1e300
        r.layers[3].outliers = .max
        r.timings.totalSeconds = .infinity
        r.sweeps["0.attention.self.query"]?[0].relativeError = 0
        r.sweeps["0.attention.self.query"]?[1].step = .min
        let html = HTMLReport.render(r)
        for svg in Self.svgElements(html) { #expect(Self.parses(svg)) }
        #expect(!html.contains("=\"nan\"") && !html.contains("=\"inf\""))
        #expect(MarkdownReport.render(r).contains("| `0.attention.self.query` | 0 | 384×384 | done | " + ReportFixture.quantease.summary + " | 3 | nan |"))
    }
}
