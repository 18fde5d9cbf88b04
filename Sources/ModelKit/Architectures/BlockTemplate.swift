/// The tensor naming of one architecture: where blocks live and which linears each block has.
struct BlockTemplate {
    /// One linear of a block: its module path inside the block and its `[out, in]` size.
    struct Linear {
        let path: String
        let outFeatures: Int
        let inFeatures: Int
    }

    /// Name prefixes the head classes use, most common first (`bert.` for BertFor*, none for BertModel).
    let prefixes: [String]
    /// The block path before the index, e.g. `encoder.layer.`.
    let blockPath: String
    /// True when weights are stored `[in, out]` (GPT-2 `Conv1D`).
    let storedTransposed: Bool
    let linears: [Linear]

    init(for config: ModelConfig) {
        switch config {
        case let .bert(c):
            let d = c.hiddenSize, i = c.intermediateSize
            prefixes = ["", "bert."]
            blockPath = "encoder.layer."
            storedTransposed = false
            linears = [
                Linear(path: "attention.self.query", outFeatures: d, inFeatures: d),
                Linear(path: "attention.self.key", outFeatures: d, inFeatures: d),
                Linear(path: "attention.self.value", outFeatures: d, inFeatures: d),
                Linear(path: "attention.output.dense", outFeatures: d, inFeatures: d),
                Linear(path: "intermediate.dense", outFeatures: i, inFeatures: d),
                Linear(path: "output.dense", outFeatures: d, inFeatures: i),
            ]
        case let .llama(c):
            let d = c.hiddenSize, f = c.intermediateSize
            let q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim
            prefixes = ["model.", ""]
            blockPath = "layers."
            storedTransposed = false
            linears = [
                Linear(path: "self_attn.q_proj", outFeatures: q, inFeatures: d),
                Linear(path: "self_attn.k_proj", outFeatures: kv, inFeatures: d),
                Linear(path: "self_attn.v_proj", outFeatures: kv, inFeatures: d),
                Linear(path: "self_attn.o_proj", outFeatures: d, inFeatures: q),
                Linear(path: "mlp.gate_proj", outFeatures: f, inFeatures: d),
                Linear(path: "mlp.up_proj", outFeatures: f, inFeatures: d),
                Linear(path: "mlp.down_proj", outFeatures: d, inFeatures: f),
            ]
        case let .opt(c):
            let d = c.hiddenSize, f = c.ffnDim
            prefixes = ["model.decoder.", "decoder."]
            blockPath = "layers."
            storedTransposed = false
            linears = [
                Linear(path: "self_attn.q_proj", outFeatures: d, inFeatures: d),
                Linear(path: "self_attn.k_proj", outFeatures: d, inFeatures: d),
                Linear(path: "self_attn.v_proj", outFeatures: d, inFeatures: d),
                Linear(path: "self_attn.out_proj", outFeatures: d, inFeatures: d),
                Linear(path: "fc1", outFeatures: f, inFeatures: d),
                Linear(path: "fc2", outFeatures: d, inFeatures: f),
            ]
        case let .gpt2(c):
            let d = c.hiddenSize, i = c.innerSize
            prefixes = ["transformer.", ""]
            blockPath = "h."
            storedTransposed = true
            linears = [
                Linear(path: "attn.c_attn", outFeatures: 3 * d, inFeatures: d),
                Linear(path: "attn.c_proj", outFeatures: d, inFeatures: d),
                Linear(path: "mlp.c_fc", outFeatures: i, inFeatures: d),
                Linear(path: "mlp.c_proj", outFeatures: d, inFeatures: i),
            ]
        }
    }

    /// The weight tensor name of `linear` in `block`, under `prefix`.
    func weightName(prefix: String, block: Int, linear: Linear) -> String {
        "\(prefix)\(blockPath)\(block).\(linear.path).weight"
    }
}
