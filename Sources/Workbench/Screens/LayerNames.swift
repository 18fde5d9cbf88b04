import TUIKit

/// Short heatmap column names for the module paths of the supported architectures.
enum LayerNames {
    static let known: [String: String] = [
        "attention.self.query": "q", "attention.self.key": "k", "attention.self.value": "v", "attention.output.dense": "o",
        "intermediate.dense": "fc1", "output.dense": "fc2",
        "self_attn.q_proj": "q", "self_attn.k_proj": "k", "self_attn.v_proj": "v", "self_attn.o_proj": "o",
        "self_attn.out_proj": "o", "mlp.gate_proj": "gate", "mlp.up_proj": "up", "mlp.down_proj": "down",
        "fc1": "fc1", "fc2": "fc2", "attn.c_attn": "qkv", "attn.c_proj": "o", "mlp.c_fc": "fc", "mlp.c_proj": "proj",
    ]

    /// `attention.self.query` → `q`; unknown paths keep their last part, cut to four characters.
    static func abbreviate(_ kind: String) -> String {
        if let k = known[kind] { return k }
        let last = kind.split(separator: ".").last.map(String.init) ?? kind
        return String(last.replacingOccurrences(of: "_proj", with: "").prefix(4))
    }
}
