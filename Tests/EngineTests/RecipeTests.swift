import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

@Suite struct RecipeTests {
    @Test func shippedRecipesParse() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments").standardized
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "yaml" }
        #expect(files.count >= 3)
        for f in files {
            let r = try RecipeParser.parse(contentsOf: f), name = f.lastPathComponent
            #expect(r.calibrationSource == .demo, "\(name)")
            if name.hasPrefix("smollm2-") {
                #expect(r.model.flatMap(KnownModel.named) == .smolLM2, "\(name)")
            } else {
                #expect(r.model == nil && r.samples == 128, "\(name)")
            }
            #expect(!r.compare.isEmpty || r.compensation != nil, "\(name)")
        }
        let outliers = try RecipeParser.parse(contentsOf: dir.appendingPathComponent("minilm-quantease-3bit-outliers.yaml"))
        guard case let .outlierQuantEase(o) = outliers.method else { Issue.record("wrong method"); return }
        #expect(o.fraction == 0.01 && o.grid.bits == 3 && o.structure == .unstructured)
        #expect(outliers.compare.map(\.name) == ["quantease", "gptq"] && outliers.compare.allSatisfy { $0.grid?.bits == 3 })
    }

    @Test func readsEverySetting() throws {
        let r = try RecipeParser.parse("""
        name: t
        model: /models/x
        calibration: {source: corpus.jsonl, samples: 16, sequence_length: 64, seed: 7}
        pipeline: {mode: from-fp}
        layers: {include: ["*.attention.*", "*.output.dense"], blocks: 1-3}
        method: {name: gptq, bits: 4, group_size: 128, act_order: true, damping: 0.05, block_size: 64}
        output: runs/t
        """)
        #expect(r.model == "/models/x" && r.calibrationSource == .file("corpus.jsonl") && r.samples == 16 && r.seed == 7)
        #expect(r.pipeline.mode == .fromFullPrecision && r.pipeline.selection.blocks == 1...3)
        #expect(r.method == .gptq(try GPTQOptions(grid: try GridOptions(bits: 4, groupSize: 128), blockSize: 64, dampingFraction: 0.05, actOrder: true)))
        #expect(r.output == "runs/t")
    }

    @Test(arguments: [
        ("method: {name: gptq, bits: 3}\nsweeps: 3\n", 2, "unknown key 'sweeps' in recipe"),
        ("method:\n  name: gptq\n  bits: 9\n", 3, "method.bits: 9 is outside 2…8"),
        ("method:\n  name: quantease\n  bits: 3\n  sweeps: many\n", 4, "method.sweeps: 'many' is not a whole number"),
        ("method: {name: awq, bits: 3}\n", 1, "unknown method 'awq'"),
        ("method: {name: quantease-outlier, bits: 3, outlier_fraction: 0.7}\n", 1, "method.outlier_fraction: 0.7 is outside 0…0.5"),
        ("pipeline: {mode: sideways}\nmethod: {name: rtn, bits: 3}\n", 1, "pipeline.mode 'sideways'"),
        ("layers: {blocks: 5-2}\nmethod: {name: rtn, bits: 3}\n", 1, "layers.blocks: '5-2'"),
        ("layers: {blocks: -1}\nmethod: {name: rtn, bits: 3}\n", 1, "layers.blocks: '-1'"),
        ("layers: {blocks: \"--1--\"}\nmethod: {name: rtn, bits: 3}\n", 1, "layers.blocks: '--1--'"),
        ("method: {name: rtn, bits: 3\n", 2, "YAML syntax"),
        ("name: x\n", 1, "no 'method' section"),
        ("method:\n  name: quantease\n  damping: 0.1\n", 3, "method: 'damping' does not apply to quantease without init: gptq"),
        ("method:\n  name: quantease-outlier\n  group_size: 64\n", 3, "method: 'group_size' does not apply to quantease-outlier"),
        ("method:\n  name: gptq\n  dampign: 0.1\n", 3, "unknown key 'dampign' in method"),
        ("method:\n  name: quantease\n  schedule: sometimes\n", 3, "method.schedule: 'sometimes' is not relaxed or always-round"),
        ("method:\n  name: gptq\n  block_size: 0\n", 3, "method.block_size: 0 is outside 1…65536"),
        ("method:\n  name: gptq\n  group_size: 0\n", 3, "method.group_size = 0 is invalid"),
        ("compare:\n  - {name: rtn, sweeps: 3}\nmethod: {name: gptq}\n", 2, "compare: 'sweeps' does not apply to rtn"),
        ("method:\n  name: rtn\n  sweeps: 5\n", 3, "method: 'sweeps' does not apply to rtn"),
        ("method:\n  name: quantease-outlier\n  alpha: 20\n", 3, "method.alpha: 20.0 is outside 0.01…1.99"),
        ("name: \"../../../x\"\nmethod: {name: rtn}\n", 1, "name '../../../x' is not a plain name"),
        ("name: a/b\nmethod: {name: rtn}\n", 1, "is not a plain name"),
        ("name: \"\"\nmethod: {name: rtn}\n", 1, "name must not be empty"),
        ("output: \"\"\nmethod: {name: rtn}\n", 1, "output must name a folder"),
        ("calibration: {source: \"\"}\nmethod: {name: rtn}\n", 1, "calibration.source must name"),
    ])
    func rejectsBadRecipesWithLineAndReason(_ text: String, _ line: Int, _ reason: String) {
        expectRecipeError(text, line: line, reason: reason)
    }
}

@Suite struct RecipeYAMLTests {
    @Test func writtenRecipesReadBackEqual() throws {
        for text in [
            "name: a\nmethod: {name: quantease, bits: 3, init: gptq, act_order: true, sweeps: 5, schedule: always-round}\ncompare: [gptq, rtn]\n",
            "name: \"b \\\"q\\\"\"\nmodel: /m/x\ncalibration: {source: c.jsonl, samples: 4, sequence_length: 16, seed: 3}\npipeline: {mode: from-fp}\nlayers: {include: [\"*.q*\"], blocks: 2-3}\nmethod: {name: quantease-outlier, bits: 4, outlier_fraction: 0.02, outlier_structure: columns, alpha: 0.5}\noutput: runs/b\n",
            "method: {name: gptq, bits: 2, group_size: 32, sym: true, mse: true, static_groups: true, damping: 0.1, block_size: 64}\n",
        ] {
            let r = try RecipeParser.parse(text)
            var again = try RecipeParser.parse(r.yaml())
            again.text = r.text
            #expect(again == r, "\(r.yaml())")
        }
    }

    /// Found by `make fuzz` (FuzzRecipe): a quoted pattern whose blank line folds to a newline was written back
    /// with the newline inside the quotes, which reads as a space. Strings are now written with escapes.
    @Test(arguments: [
        "method: {name: rtn, bits: 3}\nlayers:\n  include: [\"* wtwo 256-en\n\n  atry \"]\n",
        "method: {name: rtn, bits: 3}\nname: plain\nlayers: {include: [\"two\\nlines\\ttab\", \"a\\x85b\", \"c\\u2028d\", \"\\uFEFFe\", \"f\\x01\\x7F\\x9Fg\", \"\\r\"]}\n",
    ])
    func stringsWithLineBreaksAndControlsReadBackEqual(_ text: String) throws {
        let r = try RecipeParser.parse(text)
        var again = try RecipeParser.parse(r.yaml())
        again.text = r.text
        #expect(again == r, "\(r.yaml())")
    }
}

@Suite struct LayerSelectionTests {
    @Test func aSelectionPastTheLastBlockOrMatchingNothingIsRefused() throws {
        let model = try EngineFixtures.tiny("tiny-llama")
        let layers = model.linearLayers
        #expect(model.blockCount == 2)
        #expect(try LayerSelection(blocks: 1...1).layers(of: layers, blockCount: 2) == layers.filter { $0.block == 1 })
        #expect(throws: SelectionError(message: "blocks 5-9 reach past the model's last block: it has 2 (0-1)")) {
            try LayerSelection(blocks: 5...9).layers(of: layers, blockCount: 2)
        }
        #expect(throws: SelectionError(message: "blocks 1-2 reach past the model's last block: it has 2 (0-1)")) {
            try LayerSelection(blocks: 1...2).layers(of: layers, blockCount: 2)
        }
        #expect(throws: SelectionError(message: "no linear layer matching '*.nothing'")) {
            try LayerSelection(patterns: ["*.nothing"]).layers(of: layers, blockCount: 2)
        }
    }
}
