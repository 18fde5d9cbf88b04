import Foundation
import QuantCore
import Synchronization
import Testing
@testable import Engine
@testable import ModelKit

/// A cancel during a block's calibration pass ends the pass between two batches of windows, not at the
/// end of the block: counted in batches (each `calibrating` event is one), never in seconds.
struct CalibrationCancelTests {
    /// Six windows of alternating lengths: six batches of one window each.
    static let windows: [[Int]] = (0..<6).map { i in (0..<(12 + i % 2)).map { ($0 * 7 + i) % 64 } }

    static func pipeline(_ model: TransformerModel, trueSequential: Bool = false) -> QuantizationPipeline {
        QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(trueSequential: trueSequential)) { _ in
            .rtn(try! GridOptions(bits: 3))
        }
    }

    @Test(arguments: [false, true])
    func aCancelStopsThePassWithinOneBatch(trueSequential: Bool) throws {
        let model = try EngineFixtures.tiny("tiny-llama")
        let cancelled = CancelFlag()
        var passes = 0, afterCancel = 0, started = 0
        let solved = try Self.pipeline(model, trueSequential: trueSequential).run(onEvent: { event in
            switch event {
            case .calibrating:
                passes += 1
                if cancelled.isSet { afterCancel += 1 }
                if passes == 2 { cancelled.set() }   // the user presses q mid-pass
            case .layerStarted: started += 1
            default: break
            }
        }, isCancelled: { cancelled.isSet })
        #expect(solved == 0 && started == 0, "no layer of the block is solved after the cancel")
        #expect(afterCancel == 0, "the pass stops before the next batch (\(afterCancel) more ran)")
        #expect(passes == 2, "6 batches in the pass; it stopped after 2")
    }

    @Test func anUncancelledPassSeesEveryBatch() throws {
        let model = try EngineFixtures.tiny("tiny-llama")
        var first: [CalibrationProgress] = []
        try Self.pipeline(model).run(onEvent: { if case let .calibrating(p) = $0, p.block == 0 { first.append(p) } })
        #expect(first.map(\.done) == Array(1...6) && first.allSatisfy { $0.total == 6 })
    }
}

/// A cancel the test sets from the pipeline's event callback and the pipeline reads.
final class CancelFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
