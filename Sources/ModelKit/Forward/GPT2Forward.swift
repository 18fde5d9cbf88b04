import QuantCore

/// GPT-2 decoder: learned positions, pre-LN blocks, fused q|k|v `c_attn` (Conv1D weights transposed
/// at load), tanh-approximated GELU, LM head tied to `wte` unless `lm_head.weight` is stored.
struct GPT2Forward: ForwardArchitecture {
    let config: GPT2Config
    let activation: Activation
    let embeddingTable: String, positionTable: String
    let finalNorm: (weight: [Float], bias: [Float])
    let lmHead: String?

    var isCausalLM: Bool { true }
    var vocabularySize: Int { config.vocabSize }
    var maxSequenceLength: Int? { config.positionCount }
    var blockVectors: [(path: String, count: Int)] {
        ["ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias"].map { ($0, config.hiddenSize) }
    }

    init(config: GPT2Config, store: TensorStore) throws(ForwardError) {
        let directory = store.checkpoint.location
        self.config = config
        activation = try ModelKit.activation(config.activationFunction, key: "activation_function", directory: directory)
        let d = config.hiddenSize
        embeddingTable = store.name("wte.weight")
        positionTable = store.name("wpe.weight")
        let normWeight = store.name("ln_f.weight"), normBias = store.name("ln_f.bias")
        try store.require(embeddingTable, shape: [config.vocabSize, d])
        try store.require(positionTable, shape: [config.positionCount, d])
        try store.require(normWeight, shape: [d])
        try store.require(normBias, shape: [d])
        finalNorm = (try store.vector(normWeight), try store.vector(normBias))
        let head = lmHeadName(store: store, embedding: embeddingTable)
        try store.require(head, shape: [config.vocabSize, d])
        lmHead = head
    }

    /// Attention of block `index`: scores scaled by `1/√d` (if `scale_attn_weights`) and by `1/(index+1)`
    /// (if `scale_attn_by_inverse_layer_idx`).
    private func attention(block index: Int) -> Attention {
        var scale: Float = config.scaleAttnWeights ? 1 / Float(config.headDim).squareRoot() : 1
        if config.scaleAttnByInverseLayerIdx { scale /= Float(index + 1) }
        return Attention(headCount: config.headCount, kvHeadCount: config.headCount, headDim: config.headDim,
                         scale: scale, causal: true)
    }

    func embed(_ tokens: [Int], store: TensorStore) throws(ForwardError) -> Matrix<Float> {
        let d = config.hiddenSize
        var x = try store.gather(embeddingTable, tokens, width: d)
        try TensorOps.add(&x, store.gather(positionTable, Array(tokens.indices), width: d))
        return x
    }

    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ g: BlockGraph<S>) throws(BlockStop) -> Tensor<S> {
        let d = config.hiddenSize, eps = config.layerNormEpsilon
        var x = hidden
        var h = g.layerNorm(x, weight: "ln_1.weight", bias: "ln_1.bias", eps: eps)
        let qkv = try g.linear(0, h)
        let attended = g.attention(attention(block: index), q: g.columns(qkv, 0..<d), k: g.columns(qkv, d..<2 * d),
                                   v: g.columns(qkv, 2 * d..<3 * d))
        x = try g.add(x, g.linear(1, attended))
        h = g.layerNorm(x, weight: "ln_2.weight", bias: "ln_2.bias", eps: eps)
        let inner = try g.activation(activation, g.linear(2, h))
        return try g.add(x, g.linear(3, inner))
    }

    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float> {
        TensorOps.layerNorm(hidden, weight: finalNorm.weight, bias: finalNorm.bias, eps: config.layerNormEpsilon)
    }
}
