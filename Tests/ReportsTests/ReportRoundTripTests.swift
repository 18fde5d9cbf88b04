import Foundation
import Testing
import SwiftCSV
import Engine
@testable import Reports

@Suite struct ReportRoundTripTests {
    @Test func reportHoldsTheRunStateFacts() {
        let r = ReportFixture.report()
        #expect(r.schemaVersion == 2 && r.status == .cancelled && r.incomplete)
        #expect(r.layers.map(\.name) == ["0.attention.self.query", "0.attention.self.key", "0.intermediate.dense", "0.output.dense",
                                         "1.attention.self.query", "1.intermediate.dense", "1.output.dense", "2.attention.self.query"])
        #expect(Set(r.sweeps.keys) == Set(ReportFixture.chartedLayers + ["1.attention.self.key", "2.attention.self.key"]))
        #expect(r.comparisons.keys.sorted() == ["0.attention.self.query"] && r.comparisons["0.attention.self.query"]?.first?.method == ReportFixture.gptq)
        #expect(r.failed == ["1.attention.self.key": "Σ is not positive-definite after damping 0.1"])
        #expect(r.summary.finishedLayers == 8 && r.summary.totalLayers == 12 && r.summary.failedLayers == 1)
        #expect(r.summary.worstLayer == "1.intermediate.dense" && r.summary.worstRelErr == 0.21)
        #expect(r.summary.totalOutliers == 590 * 2 + 2359 * 2)
        #expect(r.statusLine == "cancelled, incomplete: 8 of 12 layers")
        #expect(r.timings.totalSeconds == 83.5 && r.timings.started == "2025-10-09T08:53:20Z")
        #expect(r.timings.phaseSeconds == ["calibration": 12.25, "solve": 70.5])
        let state = ReportFixture.state()
        #expect(r.summary.medianRelErr == state.relErrStats?.median && r.summary.meanBitsPerWeight == state.meanBitsPerWeight)
    }

    @Test func aRunStillGoingIsRunningAndIncomplete() {
        var state = RunState()
        state.apply(.runStarted(ReportFixture.info()))
        let r = try! RunReport(state: state, recipe: "", recipeName: nil, toolVersion: "0.1.0", environment: ReportFixture.environment,
                          started: Date(timeIntervalSince1970: 0), finished: nil)
        #expect(r.status == .running && r.incomplete && r.timings.finished == nil && r.timings.totalSeconds == nil)
        #expect(r.summary.medianRelErr == nil && r.statusLine == "running, incomplete: 0 of 12 layers")
    }

    @Test func runJSONReadsBackEqual() throws {
        let report = ReportFixture.report()
        try ReportFixture.withTemporaryFolder { folder in
            _ = try ReportWriter.write(report, formats: [.json], to: folder)
            #expect(try RunReport.read(from: folder) == report)
            let text = try String(contentsOf: folder.appendingPathComponent("run.json"), encoding: .utf8)
            #expect(text.contains("\"schemaVersion\" : 2") && text.contains("\"status\" : \"cancelled\""))
            #expect(text.range(of: "\"environment\"")!.lowerBound < text.range(of: "\"info\"")!.lowerBound)   // sorted keys
        }
    }

    @Test func nonFiniteErrorsSurviveTheJSON() throws {
        var state = ReportFixture.state()
        state.apply(.layerFinished(ReportFixture.summary(state.layers[9].info, relErr: .infinity)))
        let report = ReportFixture.report(state)
        try ReportFixture.withTemporaryFolder { folder in
            _ = try ReportWriter.write(report, formats: [.json], to: folder)
            #expect(try RunReport.read(from: folder).layers.last?.relErr == .infinity)
        }
    }

    @Test func layersCSVParsesBack() throws {
        let report = ReportFixture.report()
        let csv = try CSV<Named>(string: CSVReports.layers(report))
        #expect(csv.header == ["name", "block", "rows", "cols", "state", "method", "bits", "rel_err", "bits_per_weight", "outliers",
                               "seconds", "calibration_tokens"])
        // Every listed layer has a row with its state; the numbers are those of its result.
        #expect(csv.rows.count == report.info.layers.count)
        let states = Dictionary(uniqueKeysWithValues: csv.rows.map { ($0["name"] ?? "", $0["state"] ?? "") })
        #expect(states["1.attention.self.key"] == "failed: Σ is not positive-definite after damping 0.1")
        #expect(states["2.attention.self.key"] == "cancelled after 1 of 6" && states["2.intermediate.dense"] == "pending")
        let solved = csv.rows.filter { $0["state"] == "done" }
        #expect(solved.count == report.layers.count)
        for (row, layer) in zip(solved, report.layers) {
            #expect(row["name"] == layer.name && row["method"] == layer.method.summary && Int(row["block"] ?? "") == layer.block)
            #expect(Int(row["rows"] ?? "") == layer.rows && Int(row["cols"] ?? "") == layer.cols && Int(row["bits"] ?? "") == layer.bits)
            #expect(Double(row["rel_err"] ?? "") == layer.relErr && Double(row["bits_per_weight"] ?? "") == layer.bitsPerWeight)
            #expect(Int(row["outliers"] ?? "") == layer.outliers && Double(row["seconds"] ?? "") == layer.seconds)
            #expect(Int(row["calibration_tokens"] ?? "") == layer.calibrationTokens)
        }
    }

    @Test func sweepsCSVParsesBack() throws {
        let report = ReportFixture.report()
        let csv = try CSV<Named>(string: CSVReports.sweeps(report))
        #expect(csv.header == ["layer", "step", "total_steps", "rel_err", "codes_changed", "outliers", "on_grid", "elapsed"])
        let expected = report.layerOrder.flatMap { name in (report.sweeps[name] ?? []).map { (name, $0) } }
        #expect(csv.rows.count == expected.count && expected.count == 6 + 5 + 4 + 4 + 3 + 2 + 4 + 5 + 1)
        for (row, (name, s)) in zip(csv.rows, expected) {
            #expect(row["layer"] == name && Int(row["step"] ?? "") == s.step && Int(row["total_steps"] ?? "") == s.totalSteps)
            #expect(Double(row["rel_err"] ?? "") == s.relativeError && Double(row["elapsed"] ?? "") == s.elapsed)
            #expect(row["codes_changed"] == (s.codesChanged.map { "\($0)" } ?? ""))
            #expect(Int(row["outliers"] ?? "") == s.outliers && row["on_grid"] == (s.onGrid ? "true" : "false"))
        }
        #expect(csv.rows[1]["codes_changed"] == "" && csv.rows[1]["on_grid"] == "false")
    }

    @Test func csvQuotesNamesWithCommasQuotesAndLineBreaks() throws {
        let odd = "0.attn,\"q\"\nproj"
        let state = ReportFixture.state(ReportFixture.info(names: ["0.attention.self.query": odd]))
        let text = CSVReports.layers(ReportFixture.report(state))
        #expect(text.contains("\"0.attn,\"\"q\"\"\nproj\","))
        let csv = try CSV<Named>(string: text)
        #expect(csv.rows.first?["name"] == odd && csv.rows.count == 12)
    }
}
