import QuantCore

/// OPT decoder: learned positions with offset 2, pre-LN blocks (post-LN when `do_layer_norm_before` is
/// false, as in opt-350m), `project_in`/`project_out` when the embedding width differs, ReLU MLP.
struct OPTForward: ForwardArchitecture {
    let config: OPTConfig
    let attention: Attention
    let activation: Activation
    let embeddingTable: String, positionTable: String
    /// `[hidden, wordEmbedProjDim]` and `[wordEmbedProjDim, hidden]`, when the widths differ.
    let projectIn: Matrix<Float>?, projectOut: Matrix<Float>?
    let finalNorm: (weight: [Float], bias: [Float])?
    let lmHead: String?

    /// The row of position `t` is `t + 2`.
    static let positionOffset = 2
    /// OPT's LayerNorm epsilon (not in the config).
    static let layerNormEps = 1e-5

    var isCausalLM: Bool { true }
    var vocabularySize: Int { config.vocabSize }
    var maxSequenceLength: Int? { config.maxPositionEmbeddings }
    var blockVectors: [(path: String, count: Int)] {
        ["self_attn_layer_norm.weight", "self_attn_layer_norm.bias", "final_layer_norm.weight", "final_layer_norm.bias"]
            .map { ($0, config.hiddenSize) }
    }

    init(config: OPTConfig, store: TensorStore) throws(ForwardError) {
        let directory = store.checkpoint.location
        guard config.layerNormElementwiseAffine else {
            throw .unsupportedArchitecture(directory: directory, reason: "layer_norm_elementwise_affine false")
        }
        self.config = config
        activation = try ModelKit.activation(config.activationFunction, key: "activation_function", directory: directory)
        // OPT scales q by d^-0.5 after q_proj; scaling the scores instead is the same product.
        attention = Attention(headCount: config.headCount, kvHeadCount: config.headCount, headDim: config.headDim,
                              scale: 1 / Float(config.headDim).squareRoot(), causal: true)
        let d = config.hiddenSize, w = config.wordEmbedProjDim
        embeddingTable = store.name("embed_tokens.weight")
        positionTable = store.name("embed_positions.weight")
        try store.require(embeddingTable, shape: [config.vocabSize, w])
        try store.require(positionTable, shape: [config.maxPositionEmbeddings + Self.positionOffset, d])
        if w != d {
            let inName = store.name("project_in.weight"), outName = store.name("project_out.weight")
            try store.require(inName, shape: [d, w])
            try store.require(outName, shape: [w, d])
            projectIn = try store.matrix(inName)
            projectOut = try store.matrix(outName)
        } else {
            projectIn = nil
            projectOut = nil
        }
        if config.hasFinalLayerNorm {
            let weight = store.name("final_layer_norm.weight"), bias = store.name("final_layer_norm.bias")
            try store.require(weight, shape: [d])
            try store.require(bias, shape: [d])
            finalNorm = (try store.vector(weight), try store.vector(bias))
        } else {
            finalNorm = nil
        }
        let head = lmHeadName(store: store, embedding: embeddingTable)
        try store.require(head, shape: [config.vocabSize, w])
        lmHead = head
    }

    func embed(_ tokens: [Int], store: TensorStore) throws(ForwardError) -> Matrix<Float> {
        var x = try store.gather(embeddingTable, tokens, width: config.wordEmbedProjDim)
        if let projectIn { x = TensorOps.linear(x, projectIn, bias: nil) }
        let positions = tokens.indices.map { $0 + Self.positionOffset }
        try TensorOps.add(&x, store.gather(positionTable, positions, width: config.hiddenSize))
        return x
    }

    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ g: BlockGraph<S>) throws(BlockStop) -> Tensor<S> {
        let preNorm = config.doLayerNormBefore
        var x = hidden
        let attentionNorm = { (m: Tensor<S>) in
            g.layerNorm(m, weight: "self_attn_layer_norm.weight", bias: "self_attn_layer_norm.bias", eps: Self.layerNormEps)
        }
        let mlpNorm = { (m: Tensor<S>) in
            g.layerNorm(m, weight: "final_layer_norm.weight", bias: "final_layer_norm.bias", eps: Self.layerNormEps)
        }
        var h = preNorm ? attentionNorm(x) : x
        let attended = try g.attention(attention, q: g.linear(0, h), k: g.linear(1, h), v: g.linear(2, h))
        x = try g.add(x, g.linear(3, attended))
        if !preNorm { x = attentionNorm(x) }
        h = preNorm ? mlpNorm(x) : x
        let inner = try g.activation(activation, g.linear(4, h))
        x = try g.add(x, g.linear(5, inner))
        return preNorm ? x : mlpNorm(x)
    }

    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float> {
        var x = hidden
        if let finalNorm { x = TensorOps.layerNorm(x, weight: finalNorm.weight, bias: finalNorm.bias, eps: Self.layerNormEps) }
        if let projectOut { x = TensorOps.linear(x, projectOut, bias: nil) }
        return x
    }
}
