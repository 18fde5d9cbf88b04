import Engine
import Foundation
import QuantCore
import Testing
@testable import Reports

/// report.md and report.html carry block fine-tuning (a row per block) and the bit allocation (each layer's
/// choice, predicted against measured), and run.json reads both back.
@Suite struct ReportTuningAllocationTests {
    static func report() throws -> RunReport {
        var r = ReportFixture.report()
        r.tuning = [BlockTuningSummary(block: 0, before: 0.04, after: 0.03, epochsRun: 4, steps: 112, stop: .earlyStop, seconds: 21.5, history: [])]
        let layers = r.layers.map { l in
            AllocationPlan.Layer(name: l.name, weights: l.rows * l.cols,
                                 points: [.init(bitsPerWeight: 2.1, relativeError: 0.08), .init(bitsPerWeight: 4.1, relativeError: 0.004)],
                                 endToEndDamage: 0.01, sensitivity: 0.125)
        }
        r.allocation = try AllocationPlan(layers: layers, budget: 3.1, candidates: [ReportFixture.rtn, ReportFixture.gptq], metric: .embeddingCosine)
        return r
    }

    @Test func bothReportsShowTheTunedBlocksAndTheChoices() throws {
        let r = try Self.report()
        let markdown = MarkdownReport.render(r), html = HTMLReport.render(r)
        for text in [markdown, html] {
            #expect(text.contains("Block fine-tuning") && text.contains("early stop") && text.contains("25.0%"))
            #expect(text.contains("Bit allocation") && text.contains("Budget 3.1 bits/weight"))
        }
        let chosen = r.allocation!.layers.filter { $0.choice == 1 }.count
        #expect(chosen > 0 && chosen < r.layers.count, "a budget between the two candidates mixes them")
        let section = markdown.components(separatedBy: "## Bit allocation")[1].components(separatedBy: "\n## ")[0]
        #expect(section.components(separatedBy: "| GPTQ 3-bit |").count - 1 == chosen)
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(RunReport.self, from: data)
        #expect(back.tuning == r.tuning && back.allocation == r.allocation)
    }
}
