import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// Block fine-tuning in the pipeline: it lowers the held-out block error (never raises it), keeps the codes,
/// puts what trained into the model, saves it in the run folder and resumes from it.
struct BlockTuningTests {
    static let tuning = BlockTuningOptions(epochs: 4, learningRate: 3e-3, batchWindows: 2, heldOutFraction: 0.25, patience: 1)

    static func run(_ name: String, method: LayerMethod = .gptq(try! GPTQOptions(grid: try! GridOptions(bits: 2))),
                    tuning: BlockTuningOptions? = tuning, bounded: Bool = false)
        throws -> (model: TransformerModel, events: [PipelineEvent]) {
        let model = try EngineFixtures.tiny(name)
        var rng = SeededGenerator(seed: 5)
        let windows = (0..<8).map { _ in (0..<12).map { _ in Int(rng.next() % 64) } }
        let pipeline = QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(boundedMemory: bounded, tuning: tuning)) { _ in method }
        var events: [PipelineEvent] = []
        try pipeline.run(onEvent: { events.append($0) })
        return (model, events)
    }

    @Test(arguments: ["tiny-llama", "tiny-opt", "tiny-gpt2", "tiny-bert"])
    func tuningLowersTheHeldOutBlockErrorAndKeepsTheCodes(_ name: String) throws {
        let (model, events) = try Self.run(name)
        var solved: [String: QuantizedLayer<Float>] = [:], tuned: [TunedBlock] = [], steps = 0
        var layers: [String: QuantizedLayer<Float>] = [:]
        for event in events {
            switch event {
            case let .layerFinished(o): solved[o.layer.name] = o.result.layer
            case let .blockTuned(t, l): tuned.append(t); layers.merge(l) { $1 }
            case .tuningProgress: steps += 1
            default: break
            }
        }
        #expect(tuned.map(\.summary.block) == Array(0..<model.blockCount))
        #expect(steps == tuned.reduce(0) { $0 + $1.summary.history.count })
        for t in tuned.map(\.summary) {
            #expect(t.after <= t.before, "block \(t.block): \(t.before) → \(t.after)")
            #expect(t.history.filter { $0.heldOutLoss != nil }.count == t.epochsRun, "one held-out check per epoch")
        }
        let improved = tuned.filter { $0.summary.after < 0.9 * $0.summary.before }
        #expect(improved.count == tuned.count, "2-bit GPTQ leaves room in every block: \(tuned.map { ($0.summary.before, $0.summary.after) })")
        for (layerName, layer) in layers {
            #expect(layer.codes == solved[layerName]!.codes, "\(layerName): the codes stay")
            #expect(layer.grid.scales != solved[layerName]!.grid.scales, "\(layerName): the scales trained")
            let linear = model.linearLayers.first { $0.name == layerName }!
            let used = try model.blockParameters(linear.block)
            #expect(used.weights[used.layers.firstIndex(of: linear)!] == layer.dequantized(), "\(layerName): the model runs the tuned weight")
        }
        for t in tuned {
            let names = model.vectorNames(ofBlock: t.summary.block)
            #expect(Set(t.vectors.keys) == Set(names.norms.values).union(names.biases.values), "every norm and bias trains")
        }
    }

    @Test func aCodebookLayerTrainsItsCodebooksAndScales() throws {
        let aqlm = LayerMethod.aqlm(try AQLMOptions(codebooks: 1, bits: 4, groupSize: 4, beamSize: 2, maxEpochs: 2))
        let (_, events) = try Self.run("tiny-llama", method: aqlm, tuning: BlockTuningOptions(epochs: 2, batchWindows: 2, heldOutFraction: 0.25,
                                                                                            groups: [.codebooks, .scales]))
        var before: [String: AdditiveCodebooks<Float>] = [:], after: [String: AdditiveCodebooks<Float>] = [:]
        for event in events {
            if case let .layerFinished(o) = event { before[o.layer.name] = o.result.layer.codebooks }
            if case let .blockTuned(t, l) = event {
                #expect(t.vectors.isEmpty, "norms and biases were not asked to train")
                after.merge(l.compactMapValues(\.codebooks)) { $1 }
            }
        }
        #expect(!after.isEmpty)
        for (name, tuned) in after {
            #expect(tuned.codes == before[name]!.codes)
            #expect(tuned.codebooks != before[name]!.codebooks && tuned.scales != before[name]!.scales)
        }
    }

    @Test func boundedMemoryRestoresTheTunedNormsToo() throws {
        let (model, _) = try Self.run("tiny-opt", bounded: true)
        let tokens = [1, 5, 9, 2, 7]
        #expect(try model.forward(tokens) == EngineFixtures.tiny("tiny-opt").forward(tokens))
    }

    @Test func aRunFolderKeepsTheTunedBlocksAndAppliesThem() throws {
        let scratch = try ScratchFolder()
        let (model, events) = try Self.run("tiny-gpt2")
        var recipe = try RecipeParser.parse("name: t\nmethod: {name: gptq, bits: 2}\nfinetune: {epochs: 3, train: [scales, norms]}\n")
        #expect(recipe.pipeline.tuning == BlockTuningOptions(epochs: 3, groups: [.scales, .norms]))
        var again = try RecipeParser.parse(recipe.yaml())
        again.text = recipe.text
        #expect(again == recipe, "the finetune section reads back")
        recipe.output = nil
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        for event in events {
            if case let .layerFinished(o) = event { try folder.save(FinishedLayer(o), method: o.layerMethod) }
            if case let .blockTuned(t, layers) = event { try folder.saveTuning(t, layers: layers) }
        }
        let kept = try folder.tunedBlocks()
        #expect(kept.keys.sorted() == Array(0..<model.blockCount))
        let fresh = try EngineFixtures.tiny("tiny-gpt2")
        _ = try folder.applyLayers(to: fresh)
        let tokens = [3, 1, 4, 1, 5, 9]
        #expect(try fresh.forward(tokens) == model.forward(tokens), "the folder gives back the tuned model")
        // Resuming: nothing is solved or tuned again.
        let pipeline = QuantizationPipeline(model: try EngineFixtures.tiny("tiny-gpt2"), windows: [[1, 2, 3]],
                                            options: PipelineOptions(tuning: Self.tuning)) { _ in .rtn(try! GridOptions(bits: 2)) }
        var resumed: [PipelineEvent] = []
        try pipeline.run(finished: try folder.finishedLayers().mapValues(\.layer), tuned: kept, onEvent: { resumed.append($0) })
        #expect(resumed.isEmpty)
        #expect(try pipeline.model.forward(tokens) == model.forward(tokens))
        // A block whose tuning was cancelled is tuned again, and only that one.
        var cut = kept
        let s = kept[1]!.summary
        cut[1] = TunedBlock(summary: BlockTuningSummary(block: 1, before: s.before, after: s.after, epochsRun: 1, steps: 1, stop: .cancelled,
                                                        seconds: s.seconds, history: []), vectors: kept[1]!.vectors)
        var retuned: [PipelineEvent] = []
        let cancelled = QuantizationPipeline(model: try EngineFixtures.tiny("tiny-gpt2"), windows: [[1, 2, 3], [4, 5, 6]],
                                          options: PipelineOptions(tuning: Self.tuning)) { _ in .rtn(try! GridOptions(bits: 2)) }
        try cancelled.run(finished: try folder.finishedLayers().mapValues(\.layer), tuned: cut, onEvent: { retuned.append($0) })
        let blocks = retuned.compactMap { if case let .blockTuned(t, _) = $0 { return t.summary.block } else { return nil } }
        #expect(blocks == [1])
    }

    @Test func badFinetuneSettingsNameTheKey() throws {
        #expect(throws: RecipeError.self) { try RecipeParser.parse("name: t\nmethod: {name: rtn}\nfinetune: {train: [codes]}\n") }
        #expect(throws: RecipeError.self) { try RecipeParser.parse("name: t\nmethod: {name: rtn}\nfinetune: {lr: 5}\n") }
        #expect(throws: RecipeError.self) { try RecipeParser.parse("name: t\nmethod: {name: rtn}\nfinetune: {epochs: 0}\n") }
    }
}
