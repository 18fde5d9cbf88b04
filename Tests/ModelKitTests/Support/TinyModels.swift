import Foundation
@testable import ModelKit

/// Small configs and tensor sets in the naming of each architecture, for layout and checkpoint tests.
enum TinyModels {
    static let bertConfig = #"""
    {"model_type":"bert","architectures":["BertModel"],"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,
     "intermediate_size":16,"vocab_size":10,"max_position_embeddings":16}
    """#
    static let llamaConfig = #"""
    {"model_type":"llama","hidden_size":8,"intermediate_size":12,"num_hidden_layers":2,"num_attention_heads":4,
     "num_key_value_heads":2,"head_dim":2,"vocab_size":10,"tie_word_embeddings":false}
    """#
    static let optConfig = #"""
    {"model_type":"opt","hidden_size":8,"ffn_dim":16,"num_hidden_layers":2,"num_attention_heads":2,"vocab_size":10,
     "max_position_embeddings":16,"word_embed_proj_dim":8}
    """#
    static let gpt2Config = #"""
    {"model_type":"gpt2","n_embd":8,"n_layer":2,"n_head":2,"n_positions":16,"n_inner":null,"vocab_size":10}
    """#

    /// Weight and bias shapes of a tiny BERT encoder (`bert.` prefix for BertFor* heads, none for BertModel).
    static func bertTensors(prefix: String = "") -> [(String, [Int])] {
        var tensors: [(String, [Int])] = [
            ("\(prefix)embeddings.word_embeddings.weight", [10, 8]),
            ("\(prefix)embeddings.position_embeddings.weight", [16, 8]),
            ("\(prefix)embeddings.LayerNorm.weight", [8]),
        ]
        for i in 0..<2 {
            let b = "\(prefix)encoder.layer.\(i)."
            for (module, shape) in [("attention.self.query", [8, 8]), ("attention.self.key", [8, 8]),
                                    ("attention.self.value", [8, 8]), ("attention.output.dense", [8, 8]),
                                    ("intermediate.dense", [16, 8]), ("output.dense", [8, 16])] {
                tensors += [("\(b)\(module).weight", shape), ("\(b)\(module).bias", [shape[0]])]
            }
        }
        return tensors + [("\(prefix)pooler.dense.weight", [8, 8])]
    }

    /// A tiny Llama with GQA (4 query heads, 2 kv heads, head_dim 2), no biases.
    static func llamaTensors() -> [(String, [Int])] {
        var tensors: [(String, [Int])] = [("model.embed_tokens.weight", [10, 8]), ("model.norm.weight", [8]), ("lm_head.weight", [10, 8])]
        for i in 0..<2 {
            let b = "model.layers.\(i)."
            tensors += [("\(b)input_layernorm.weight", [8]), ("\(b)self_attn.q_proj.weight", [8, 8]),
                        ("\(b)self_attn.k_proj.weight", [4, 8]), ("\(b)self_attn.v_proj.weight", [4, 8]),
                        ("\(b)self_attn.o_proj.weight", [8, 8]), ("\(b)post_attention_layernorm.weight", [8]),
                        ("\(b)mlp.gate_proj.weight", [12, 8]), ("\(b)mlp.up_proj.weight", [12, 8]),
                        ("\(b)mlp.down_proj.weight", [8, 12])]
        }
        return tensors
    }

    /// A tiny OPT in the facebook/opt-* Hub naming (`decoder.` prefix) or the OPTForCausalLM one.
    static func optTensors(prefix: String = "decoder.") -> [(String, [Int])] {
        var tensors: [(String, [Int])] = [("\(prefix)embed_tokens.weight", [10, 8]), ("\(prefix)embed_positions.weight", [18, 8])]
        for i in 0..<2 {
            let b = "\(prefix)layers.\(i)."
            for (module, shape) in [("self_attn.q_proj", [8, 8]), ("self_attn.k_proj", [8, 8]), ("self_attn.v_proj", [8, 8]),
                                    ("self_attn.out_proj", [8, 8]), ("fc1", [16, 8]), ("fc2", [8, 16])] {
                tensors += [("\(b)\(module).weight", shape), ("\(b)\(module).bias", [shape[0]])]
            }
        }
        return tensors
    }

    /// A tiny GPT-2 whose Conv1D weights are stored `[in, out]`; bare Hub names or `transformer.`.
    static func gpt2Tensors(prefix: String = "") -> [(String, [Int])] {
        var tensors: [(String, [Int])] = [("\(prefix)wte.weight", [10, 8]), ("\(prefix)wpe.weight", [16, 8])]
        for i in 0..<2 {
            let b = "\(prefix)h.\(i)."
            for (module, shape) in [("attn.c_attn", [8, 24]), ("attn.c_proj", [8, 8]), ("mlp.c_fc", [8, 32]), ("mlp.c_proj", [32, 8])] {
                tensors += [("\(b)\(module).weight", shape), ("\(b)\(module).bias", [shape[1]])]
            }
            tensors.append(("\(b)attn.bias", [1, 1, 16, 16]))
        }
        return tensors
    }

    /// Deterministic contents: element k of tensor t is `t + k / 1000`, so every entry is distinct.
    static func values(forTensor t: Int, count: Int) -> [Float] {
        (0..<count).map { Float(t) + Float($0) / 1000 }
    }

    /// A writer holding `tensors` as F32 (or `dtype`) with `values(forTensor:count:)` contents.
    static func writer(_ tensors: [(String, [Int])], dtype: SafetensorsDType = .f32) throws -> SafetensorsWriter {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for (t, (name, shape)) in tensors.enumerated() {
            let floats = values(forTensor: t, count: shape.reduce(1, *))
            let data: TensorData = switch dtype {
            case .f16: .f16(floats.map(Float16.init))
            case .bf16: .bf16(floats)
            default: .f32(floats)
            }
            try writer.add(name, shape: shape, data: data)
        }
        return writer
    }

    /// The shape map `ModelLayout` reads.
    static func shapes(_ tensors: [(String, [Int])]) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: tensors)
    }

    static func config(_ json: String) throws -> ModelConfig {
        try ModelConfig.parse(Array(json.utf8), file: "config.json")
    }

    /// A single-file model folder in `scratch`.
    static func singleFileFolder(in scratch: CheckpointScratch, config: String, tensors: [(String, [Int])]) throws {
        try scratch.write(text: config, to: "config.json")
        try writer(tensors).write(to: scratch.file(Checkpoint.singleFileName))
    }
}
