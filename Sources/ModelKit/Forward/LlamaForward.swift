import QuantCore

/// Llama-family decoder (Llama, Mistral, Qwen2): RMSNorm pre-norm blocks, rotary positions
/// (rotate-half layout, default/linear/llama3 scaling), grouped-query causal attention, SiLU-gated MLP.
struct LlamaForward: ForwardArchitecture {
    let config: LlamaConfig
    let attention: Attention
    let rotary: RotaryEmbedding
    let activation: Activation
    let embeddingTable: String
    let finalNorm: [Float]
    let lmHead: String?

    var isCausalLM: Bool { true }
    var vocabularySize: Int { config.vocabSize }
    var maxSequenceLength: Int? { nil }
    var blockVectors: [(path: String, count: Int)] {
        [("input_layernorm.weight", config.hiddenSize), ("post_attention_layernorm.weight", config.hiddenSize)]
    }

    init(config: LlamaConfig, store: TensorStore) throws(ForwardError) {
        let directory = store.checkpoint.location
        guard config.headDim % 2 == 0 else {
            throw .unsupportedArchitecture(directory: directory, reason: "rotary embedding needs an even head_dim, found \(config.headDim)")
        }
        self.config = config
        activation = try ModelKit.activation(config.hiddenAct, key: "hidden_act", directory: directory)
        attention = Attention(headCount: config.headCount, kvHeadCount: config.kvHeadCount, headDim: config.headDim,
                              scale: 1 / Float(config.headDim).squareRoot(), causal: true)
        rotary = RotaryEmbedding(headDim: config.headDim, config: config.rope)
        embeddingTable = store.name("embed_tokens.weight")
        let norm = store.name("norm.weight")
        try store.require(embeddingTable, shape: [config.vocabSize, config.hiddenSize])
        try store.require(norm, shape: [config.hiddenSize])
        let head = lmHeadName(store: store, embedding: embeddingTable)
        try store.require(head, shape: [config.vocabSize, config.hiddenSize])
        finalNorm = try store.vector(norm)
        lmHead = head
    }

    func embed(_ tokens: [Int], store: TensorStore) throws(ForwardError) -> Matrix<Float> {
        try store.gather(embeddingTable, tokens, width: config.hiddenSize)
    }

    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ g: BlockGraph<S>) throws(BlockStop) -> Tensor<S> {
        let eps = config.rmsNormEps
        var x = hidden
        var h = g.rmsNorm(x, weight: "input_layernorm.weight", eps: eps)
        let q = try g.linear(0, h), k = try g.linear(1, h), v = try g.linear(2, h)
        let attended = g.attention(attention, q: g.rotary(rotary, q, heads: config.headCount),
                                   k: g.rotary(rotary, k, heads: config.kvHeadCount), v: v)
        x = try g.add(x, g.linear(3, attended))
        h = g.rmsNorm(x, weight: "post_attention_layernorm.weight", eps: eps)
        let gate = try g.activation(activation, g.linear(4, h))
        let gated = try g.multiply(gate, g.linear(5, h))
        return try g.add(x, g.linear(6, gated))
    }

    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float> {
        TensorOps.rmsNorm(hidden, weight: finalNorm, eps: config.rmsNormEps)
    }
}
