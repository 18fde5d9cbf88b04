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

    func block(_ index: Int, _ hidden: Matrix<Float>, _ c: BlockContext) throws(BlockStop) -> Matrix<Float> {
        let eps = config.rmsNormEps
        var x = hidden
        var h = TensorOps.rmsNorm(x, weight: c.vector("input_layernorm.weight"), eps: eps)
        var q = try c.linear(0, h), k = try c.linear(1, h)
        let v = try c.linear(2, h)
        rotary.apply(&q, heads: config.headCount, sequenceLength: c.sequenceLength)
        rotary.apply(&k, heads: config.kvHeadCount, sequenceLength: c.sequenceLength)
        try TensorOps.add(&x, c.linear(3, attention(q: q, k: k, v: v, sequenceLength: c.sequenceLength)))
        h = TensorOps.rmsNorm(x, weight: c.vector("post_attention_layernorm.weight"), eps: eps)
        var gate = try c.linear(4, h)
        activation.apply(&gate)
        try TensorOps.multiply(&gate, c.linear(5, h))
        try TensorOps.add(&x, c.linear(6, gate))
        return x
    }

    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float> {
        TensorOps.rmsNorm(hidden, weight: finalNorm, eps: config.rmsNormEps)
    }
}
