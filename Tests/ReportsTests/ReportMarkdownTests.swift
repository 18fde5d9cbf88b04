import Testing
import Engine
@testable import Reports

@Suite struct ReportMarkdownTests {
    @Test func saysIncompleteAndListsTheRun() {
        let md = MarkdownReport.render(ReportFixture.report())
        #expect(md.hasPrefix("# quantbench run: all-MiniLM-L6-v2 · " + ReportFixture.quantease.summary + "\n"))
        #expect(md.contains("| Status | cancelled, incomplete: 8 of 12 layers |"))
        #expect(md.contains("**Incomplete:** 8 of 12 layers finished."))
        #expect(md.contains("- Failed: `1.attention.self.key`: Σ is not positive-definite after damping 0.1"))
        #expect(md.contains("- Cancelled: `2.attention.self.key`: cancelled after 1 of 6"))
        #expect(md.contains("- Not finished: 2 layers"))
        #expect(md.contains("| Environment | Test CPU @ 2.0GHz, 2 cores, OpenBLAS Haswell kernels; Linux; Swift 6.3 or newer |"))
        #expect(md.contains("- Worst rel\\_err: 0.21 (1.intermediate.dense)"))
        #expect(md.contains("| `1.intermediate.dense` | 1 | 1536×384 | done | RTN 3-bit | 3 | 0.21 | 3.00 | 0 | 0.01 |"))
        #expect(md.contains("## Comparisons") && md.contains("| `0.attention.self.query` | GPTQ 3-bit | 3 | 0.031 |"))
        #expect(md.contains("## Warnings\n\n- damping raised to 0.1 for 1.attention.self.key\n"))
        #expect(md.contains("## Recipe\n\nName: minilm-quantease-3bit\n\n```\nname: minilm-quantease-3bit\n"))
    }

    @Test func aCompleteRunIsNotCalledIncomplete() {
        var state = RunState()
        let info = ReportFixture.info()
        state.apply(.runStarted(info))
        for l in info.layers { state.apply(.layerFinished(ReportFixture.summary(l, relErr: 0.01))) }
        state.apply(.runFinished(.completed))
        let md = MarkdownReport.render(ReportFixture.report(state))
        #expect(!md.contains("ncomplete") && md.contains("| Status | completed |"))
    }

    @Test func escapesUserStrings() {
        #expect(MarkdownText.escape("a|b <i>_x_</i>\nnext") == "a\\|b \\<i\\>\\_x\\_\\</i\\> next")
        #expect(MarkdownText.code("q|k") == "`q\\|k`" && MarkdownText.code("a`b") == "``a`b``" && MarkdownText.code("`x") == "`` `x ``")
        #expect(MarkdownText.block("x\n```\ny") == "````\nx\n```\ny\n````\n")
        let state = ReportFixture.state(ReportFixture.info(model: "<b>m</b>", names: ["0.attention.self.query": "0.a|b"]))
        let md = MarkdownReport.render(ReportFixture.report(state))
        #expect(md.contains("# quantbench run: \\<b\\>m\\</b\\>") && md.contains("| `0.a\\|b` |") && !md.contains("<b>"))
    }
}
