import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// Block fine-tuning's norms and biases leave the tool with the layers: every format writes them in place of
/// the checkpoint's, and the exported model runs as the tuned one does.
@Suite struct TunedTensorExportTests {
    @Test(arguments: [CheckpointFormat.dense, .gptq, .compressedTensors])
    func tunedNormsReplaceTheCheckpointsAndTheModelRunsTheSame(_ format: CheckpointFormat) throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let layers = try f.layers(where: { $0.block == 0 })
        let name = "model.layers.0.post_attention_layernorm.weight"
        let tuned = try f.checkpoint.floats(name).enumerated().map { $0.element * (1 + 0.01 * Float($0.offset % 5)) }
        let out = f.scratch.appendingPathComponent(format.rawValue)
        let result = try CheckpointExport.export(layers: layers, tensors: [name: tuned], checkpoint: f.checkpoint, out: out,
                                                 options: ExportOptions(format: format))
        #expect(result.notes.contains { $0.contains("1 norm and bias tensor(s) from block fine-tuning") })
        let exported = try Checkpoint(directory: out)
        #expect(try exported.floats(name) == tuned.map { Float(Float16($0)) } || exported.floats(name) == tuned)
        // The fake-quant model with the same tuned norm gives the logits of the export read back (dense only: the
        // packed formats read back through their own rounding of the scales).
        guard format == .dense else { return }
        let reference = try TransformerModel(checkpoint: f.checkpoint)
        for (layer, q) in layers { try reference.replaceWeight(layer, with: q.dequantized()) }
        try reference.replaceVector(name, with: try exported.floats(name))
        let tokens = [3, 1, 4, 1, 5]
        #expect(try TransformerModel(checkpoint: exported).forward(tokens) == reference.forward(tokens))
    }

    @Test func aTensorTheCheckpointLacksIsRefused() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        #expect(throws: ExportFailure.self) {
            try CheckpointExport.export(layers: try f.layers(), tensors: ["model.layers.9.nope.weight": [1]], checkpoint: f.checkpoint,
                                        out: f.scratch.appendingPathComponent("x"), options: ExportOptions(format: .dense))
        }
    }
}
