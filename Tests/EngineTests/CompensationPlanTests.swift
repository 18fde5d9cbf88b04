import Foundation
import QuantCore
import Testing
@testable import Engine

/// A QDEC sweep evaluates budget 0 (no compensation) once for every selection method, and tells each
/// point with its timing as it finishes.
struct CompensationPlanTests {
    static func point(_ k: Int, _ selection: ChannelSelection, cosine: Double) -> CompensationSweep.Point {
        CompensationSweep.Point(kChunk: k, selection: selection, meanCosine: cosine, neighbourAgreement: 1, perplexity: nil,
                                layers: [], parameters: [:])
    }

    @Test func budgetZeroIsEvaluatedOnceAndShared() throws {
        let settings = CompensationSettings(kChunks: [0, 4, 16], selections: [.bucket, .topKChunk, .random])
        var calls: [(Int, ChannelSelection)] = []
        var heard: [CompensationProgress] = []
        let points = try CompensationPlan.run(settings, evaluate: { k, s in
            calls.append((k, s))
            return Self.point(k, s, cosine: 0.9 + Double(k) / 1000 + Double(calls.count) / 1e6)
        }, progress: { heard.append($0) })
        #expect(calls.count == 7 && CompensationPlan.evaluations(settings) == 7, "1 uncompensated + 3 selections × 2 budgets")
        #expect(calls.filter { $0.0 == 0 }.count == 1)
        #expect(points.map(\.kChunk) == [0, 4, 16, 0, 4, 16, 0, 4, 16])
        #expect(points.map(\.selection) == [.bucket, .bucket, .bucket, .topKChunk, .topKChunk, .topKChunk, .random, .random, .random])
        let zeros = points.filter { $0.kChunk == 0 }
        #expect(Set(zeros.map(\.metric)).count == 1, "every selection shows the one uncompensated number")
        #expect(heard.count == points.count && heard.map(\.point) == points)
        #expect(heard.map(\.done) == [1, 2, 3, 3, 4, 5, 5, 6, 7] && heard.allSatisfy { $0.total == 7 })
        #expect(heard.map(\.shared) == [false, false, false, true, false, false, true, false, false])
        #expect(heard.last?.eta == 0)
    }

    @Test func aCancelStopsBeforeTheNextEvaluation() throws {
        let settings = CompensationSettings(kChunks: [0, 4, 8], selections: [.bucket])
        var calls = 0
        let points = try CompensationPlan.run(settings, isCancelled: { calls >= 2 }, evaluate: { k, s in
            calls += 1
            return Self.point(k, s, cosine: 0.9)
        }, progress: { _ in })
        #expect(calls == 2 && points.map(\.kChunk) == [0, 4])
    }

    @Test func progressLinesCarryTimingAndTheSharedPoint() {
        let p = CompensationProgress(point: Self.point(8, .bucket, cosine: 0.991234), done: 3, total: 11, seconds: 2.44, elapsed: 7.5)
        #expect(CompensationTable.pointLine(p) == "QDEC bucket k_chunk 8: cosine 0.99123 (3/11, 2.4 s, ETA 20 s)")
        let shared = CompensationProgress(point: Self.point(0, .topK, cosine: 0.98), done: 6, total: 11, seconds: 0, elapsed: 9, shared: true)
        #expect(CompensationTable.pointLine(shared) == "QDEC topk k_chunk 0: cosine 0.98000 (shared: no compensation, evaluated once)")
    }
}
