import QuantCore

/// BERT encoder (BertModel, BertFor*, sentence-transformers): post-LN blocks, bidirectional attention
/// over one unpadded sequence (an attention mask of ones), exact-erf GELU; the head returns the final
/// hidden states.
struct BertForward: ForwardArchitecture {
    let config: BertConfig
    let attention: Attention
    let activation: Activation
    let embeddingNorm: (weight: [Float], bias: [Float])
    let wordTable: String, positionTable: String, typeTable: String
    /// Token type 0's embedding, added to every token.
    let typeRow: [Float]

    var isCausalLM: Bool { false }
    var vocabularySize: Int { config.vocabSize }
    var maxSequenceLength: Int? { config.maxPositionEmbeddings }
    var lmHead: String? { nil }
    var blockVectors: [(path: String, count: Int)] {
        ["attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
         "output.LayerNorm.weight", "output.LayerNorm.bias"].map { ($0, config.hiddenSize) }
    }

    init(config: BertConfig, store: TensorStore) throws(ForwardError) {
        let directory = store.checkpoint.location
        guard config.positionEmbeddingType == "absolute" else {
            throw .unsupportedArchitecture(directory: directory,
                                           reason: "position_embedding_type '\(config.positionEmbeddingType)' (only 'absolute')")
        }
        self.config = config
        activation = try ModelKit.activation(config.hiddenAct, key: "hidden_act", directory: directory)
        attention = Attention(headCount: config.headCount, kvHeadCount: config.headCount, headDim: config.headDim,
                              scale: 1 / Float(config.headDim).squareRoot(), causal: false)
        let d = config.hiddenSize
        wordTable = store.name("embeddings.word_embeddings.weight")
        positionTable = store.name("embeddings.position_embeddings.weight")
        typeTable = store.name("embeddings.token_type_embeddings.weight")
        let normWeight = store.name("embeddings.LayerNorm.weight"), normBias = store.name("embeddings.LayerNorm.bias")
        try store.require(wordTable, shape: [config.vocabSize, d])
        try store.require(positionTable, shape: [config.maxPositionEmbeddings, d])
        try store.require(typeTable, shape: [config.typeVocabSize, d])
        try store.require(normWeight, shape: [d])
        try store.require(normBias, shape: [d])
        embeddingNorm = (try store.vector(normWeight), try store.vector(normBias))
        typeRow = try store.rows(typeTable, 0..<1)
    }

    func embed(_ tokens: [Int], store: TensorStore) throws(ForwardError) -> Matrix<Float> {
        let d = config.hiddenSize
        var x = try store.gather(wordTable, tokens, width: d)
        try TensorOps.add(&x, store.gather(positionTable, Array(tokens.indices), width: d))
        TensorOps.addRowVector(&x, typeRow)
        return TensorOps.layerNorm(x, weight: embeddingNorm.weight, bias: embeddingNorm.bias, eps: config.layerNormEps)
    }

    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ g: BlockGraph<S>) throws(BlockStop) -> Tensor<S> {
        let eps = config.layerNormEps
        var x = hidden
        let attended = try g.attention(attention, q: g.linear(0, x), k: g.linear(1, x), v: g.linear(2, x))
        x = try g.add(x, g.linear(3, attended))
        x = g.layerNorm(x, weight: "attention.output.LayerNorm.weight", bias: "attention.output.LayerNorm.bias", eps: eps)
        let inner = try g.activation(activation, g.linear(4, x))
        x = try g.add(x, g.linear(5, inner))
        return g.layerNorm(x, weight: "output.LayerNorm.weight", bias: "output.LayerNorm.bias", eps: eps)
    }

    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float> { hidden }
}
