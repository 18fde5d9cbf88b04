import Foundation
import Testing
import Engine
import QuantCore
@testable import Reports

/// The QDEC section of a run's reports: run.json field, report.md table, report.html chart.
@Suite struct ReportCompensationTests {
    /// A sweep over one small synthetic layer: k_chunk 0, 256 and 1024 with two selection methods.
    static func sweep() -> CompensationSweep {
        var rng = SeededGenerator(seed: 1)
        let w = Matrix<Float>(rows: 8, cols: 64) { _, _ in Float(rng.normal()) }
        let q = Matrix<Float>(rows: 8, cols: 64) { r, c in (w[r, c] * 2).rounded(.toNearestOrEven) / 2 }
        let x = Matrix<Float>(rows: 12, cols: 64) { _, _ in Float(rng.normal()) }
        var stats = ActivationThresholds(channels: 64)
        stats.observe(x)
        let points = [ChannelSelection.bucket, .topK].flatMap { selection in
            LayerCompensationResult.sweep(layer: "0.attention.self.query", weight: w, quantized: q, baseBits: 3, inputs: x,
                                          thresholds: stats, kChunks: [0, 256, 1024], selection: selection).map { layer in
                CompensationSweep.Point(kChunk: layer.kChunk, selection: selection, meanCosine: 0.9 + Double(layer.kChunk) / 1e4,
                                        neighbourAgreement: 1, perplexity: nil, layers: [layer], parameters: [layer.layer: 512])
            }
        }
        return CompensationSweep(kind: "embedding", samples: 12, calibrationPositions: 12, referencePerplexity: nil,
                                 hostBytes: points[0].layers[0].hostBytes, source: "synthetic", points: points)
    }

    @Test func pointsAverageTheLayers() {
        let s = Self.sweep()
        #expect(s.points[0].recall == nil && s.points[0].virtualBits == 3 && s.points[0].compensatedError == s.points[0].baseError)
        #expect(s.points[1].virtualBits == 3 + 16.0 / 64 * 4 && s.points[2].virtualBits == 7)
        #expect(s.points[5].recall == 1 && s.points[2].compensatedError < s.points[1].compensatedError)
    }

    @Test func runJSONCarriesTheSweepAndOldReportsReadWithoutIt() throws {
        var report = ReportFixture.report()
        report.compensation = Self.sweep()
        try ReportFixture.withTemporaryFolder { folder in
            _ = try ReportWriter.write(report, formats: [.json], to: folder)
            #expect(try RunReport.read(from: folder) == report)
            let text = try String(contentsOf: folder.appendingPathComponent("run.json"), encoding: .utf8)
            #expect(text.contains("\"compensation\"") && text.contains("\"kChunk\" : 256"))
            _ = try ReportWriter.write(ReportFixture.report(), formats: [.json], to: folder)
            #expect(try RunReport.read(from: folder).compensation == nil)
        }
    }

    @Test func markdownHasATableRowPerPoint() {
        var report = ReportFixture.report()
        #expect(!MarkdownReport.render(report).contains("## QDEC"))
        report.compensation = Self.sweep()
        let md = MarkdownReport.render(report)
        #expect(md.contains("## QDEC") && md.contains("| selection | k_chunk |"))
        #expect(ReportHTMLTests.occurrences(of: "| bucket |", in: md) == 3 && ReportHTMLTests.occurrences(of: "| topk |", in: md) == 3)
        #expect(md.contains("| bucket | 1024 | 64 | 1.00240 | 7.000 | 1.000 |"))
    }

    @Test func htmlDrawsErrorAgainstKChunkPerSelection() {
        var report = ReportFixture.report()
        #expect(!HTMLReport.render(report).contains("class=\"compensation\""))
        report.compensation = Self.sweep()
        let html = HTMLReport.render(report)
        let charts = ReportHTMLTests.svgElements(html).filter { $0.contains("class=\"compensation\"") }
        #expect(charts.count == 1)
        guard let chart = charts.first else { return }
        #expect(ReportHTMLTests.parses(chart))
        #expect(chart.contains("data-selection=\"bucket\"") && chart.contains("data-selection=\"topk\""))
        // A marker per point and one in the legend: hollow squares for the first selection, circles for the second.
        #expect(ReportHTMLTests.occurrences(of: "<circle", in: chart) == 3 + 1 && ReportHTMLTests.occurrences(of: "<rect", in: chart) == 3 + 1)
        #expect(chart.contains("k_chunk (channels per 1024)"))
    }
}
