import Foundation
import ModelKit
import QuantCore

/// What block fine-tuning costs: a recipe's first blocks quantized layer-wise, then fine-tuned, on the recipe's
/// real calibration windows, with the two times side by side (the issue's budget: tuning at most 2× the
/// layer-wise solve) and each block's held-out output error before and after.
public enum TuningBench {
    /// One block's numbers.
    public struct Block: Codable, Sendable {
        public var block: Int
        public var errorBefore: Double, errorAfter: Double
        public var epochs: Int, steps: Int
        public var seconds: Double
    }

    /// One measurement.
    public struct Report: Codable, Sendable {
        public var model: String
        public var method: String
        public var tuning: String
        public var windows: Int
        public var length: Int
        /// Wall time of the layer-wise part: calibration passes, Σ, every solve and the recipe's comparisons.
        public var layerwiseSeconds: Double
        public var tuningSeconds: Double
        /// Tuning time over layer-wise time.
        public var ratio: Double
        public var blocks: [Block]
        /// Peak resident memory of this process, bytes.
        public var peakResidentBytes: Int
    }

    /// Runs `recipe` (its tuning, else the defaults) on its first `blocks` blocks.
    public static func run(recipe: Recipe, blocks: Int, note: (String) -> Void) throws -> Report {
        var recipe = recipe
        recipe.pipeline.tuning = recipe.pipeline.tuning ?? BlockTuningOptions()
        recipe.pipeline.selection = LayerSelection(patterns: recipe.pipeline.selection.patterns, blocks: 0...max(0, blocks - 1))
        note("loading the model and \(recipe.samples) calibration windows…")
        let work = try ModelWork(recipe: recipe)
        try work.begin(finished: [:], tuned: [:])
        var tuned: [BlockTuningSummary] = []
        let start = Date()
        while try work.runNextBlock(onEvent: { event in
            if case let .blockTuned(t, _) = event {
                tuned.append(t.summary)
                note("block \(t.summary.block): output error \(t.summary.before) → \(t.summary.after) in \(String(format: "%.1f", t.summary.seconds)) s")
            }
        }, isCancelled: { false }) {}
        let total = Date().timeIntervalSince(start)
        let tuning = tuned.reduce(0) { $0 + $1.seconds }
        return Report(model: work.model.checkpoint.directory.lastPathComponent, method: recipe.method.summary,
                      tuning: recipe.pipeline.tuning!.description, windows: work.windows.count, length: recipe.sequenceLength,
                      layerwiseSeconds: total - tuning, tuningSeconds: tuning, ratio: tuning / max(total - tuning, 1e-9),
                      blocks: tuned.map { Block(block: $0.block, errorBefore: $0.before, errorAfter: $0.after, epochs: $0.epochsRun,
                                                steps: $0.steps, seconds: $0.seconds) },
                      peakResidentBytes: ForwardBench.peakResidentBytes())
    }
}
