import Engine
import Testing
@testable import Workbench
import TUIKit

/// Block fine-tuning on the main screen: its chart takes the convergence panel's place while a block trains,
/// and a tuned block's layers say what it did.
@Suite("Fine-tuning panel") struct TuningPanelTests {
    /// The fixture run with block 1 fine-tuning: 3 epochs of 4 steps, the held-out error falling.
    static func run(finished: Bool) -> RunState {
        var state = Fixtures.run()
        var step = 0
        var history: [TuningProgress] = []
        for epoch in 1...3 {
            for _ in 0..<4 {
                step += 1
                history.append(TuningProgress(block: 1, epoch: epoch, epochs: 8, step: step, loss: 0.03 / Double(1 + step) + 0.02,
                                              heldOutLoss: nil, elapsed: Double(step)))
            }
            history.append(TuningProgress(block: 1, epoch: epoch, epochs: 8, step: step, loss: history.last!.loss,
                                          heldOutLoss: 0.032 - 0.002 * Double(epoch), elapsed: Double(step)))
        }
        history.forEach { state.apply(.tuningProgress($0)) }
        if finished {
            state.apply(.blockTuned(BlockTuningSummary(block: 1, before: 0.032, after: 0.026, epochsRun: 3, steps: 12, stop: .earlyStop,
                                                       seconds: 12, history: history)))
        }
        return state
    }

    @Test func theChartFollowsTheBlockUnderTuning() {
        let s = Fixtures.app()
        let screen = App.render(s, run: Self.run(finished: false), size: s.size)
        assertSnapshot(screen.framedText, named: "finetune-120x40")
        #expect(screen.framedText.contains("epoch 3/8 · step 12"))
        #expect(screen.framedText.contains("held-out 0.0300 → 0.0260"))
    }

    @Test func aTunedBlockShowsItsErrorsBesideItsLayers() {
        var s = Fixtures.app()
        s.selected = 6   // block 1's first layer in the fixture run
        let lines = App.render(s, run: Self.run(finished: true), size: s.size).lines
        #expect(lines.contains { $0.contains("Convergence · 1.") }, "the layer's chart is back once the block is tuned")
        let facts = lines.first { $0.contains("step 30/30") } ?? ""
        #expect(facts.contains("tuned 0.0320 → 0.0260"), "\(facts)")
    }
}
