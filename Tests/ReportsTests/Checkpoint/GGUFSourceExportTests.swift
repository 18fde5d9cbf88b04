import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// A GGUF model exported as a Hugging Face folder: config.json from its `llama.*` metadata, the tokenizer files from
/// `tokenizer.ggml.*`, every tensor under its Hugging Face name in the Hugging Face row order.
@Suite(.enabled(if: KnownModel.smolLM2.isInstalled, "demo LM absent: make demo-lm enables the GGUF-source export test"))
struct GGUFSourceExportTests {
    @Test func smolLM2GoesOutAsAHuggingFaceFolderThatReadsBackTheSame() throws {
        let source = try Checkpoint(directory: KnownModel.smolLM2.directory)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-source-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // One permuted projection (q) quantized; the rest as the GGUF has them.
        let q = "0.self_attn.q_proj"
        let w = try source.loadLinearWeight(q)
        let layer = RTN.solve(try LayerProblem(name: q, weights: w, hessian: Matrix<Double>.identity(w.cols)), grid: try GridOptions(bits: 4, groupSize: 32)).layer
        let out = scratch.appendingPathComponent("dense")
        _ = try CheckpointExport.export(layers: [q: layer], checkpoint: source, out: out, options: ExportOptions(format: .dense))

        let exported = try Checkpoint(directory: out)
        #expect(exported.format == .safetensors && exported.config.hiddenSize == source.config.hiddenSize)
        #expect(exported.linearLayers.map(\.name) == source.linearLayers.map(\.name))
        #expect(try exported.loadLinearWeight(q) == layer.dequantized())
        for name in ["0.self_attn.k_proj", "1.mlp.down_proj"] { #expect(try exported.loadLinearWeight(name) == source.loadLinearWeight(name)) }
        let text = "<|im_start|>user\nWhat is 12+30?<|im_end|>\n"
        #expect(try exported.loadTokenizer().encode(text) == source.loadTokenizer().encode(text))
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["architectures"] as? [String] == ["LlamaForCausalLM"] && config["tie_word_embeddings"] as? Bool == true)
    }
}
