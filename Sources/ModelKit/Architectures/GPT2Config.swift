/// GPT-2 settings (`model_type: "gpt2"`); its linears are `Conv1D`, stored `[in, out]`.
public struct GPT2Config: Sendable, Equatable {
    public var vocabSize: Int
    /// `n_embd`.
    public var hiddenSize: Int
    /// `n_layer`.
    public var layerCount: Int
    /// `n_head`.
    public var headCount: Int
    /// `n_positions`.
    public var positionCount: Int
    /// `n_inner`, or `4 × n_embd` when null or absent.
    public var innerSize: Int
    public var layerNormEpsilon: Double
    /// `gelu_new` is the tanh approximation.
    public var activationFunction: String
    public var scaleAttnWeights: Bool
    public var scaleAttnByInverseLayerIdx: Bool
    public var reorderAndUpcastAttn: Bool
    /// Defaults to true: the LM head is `wte` unless `lm_head.weight` is stored.
    public var tieWordEmbeddings: Bool
    public var bosTokenId: Int?
    public var eosTokenId: Int?

    /// `hiddenSize / headCount`.
    public var headDim: Int { hiddenSize / headCount }

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        vocabSize = try fields.positiveInt("vocab_size")
        hiddenSize = try fields.positiveInt("n_embd")
        layerCount = try fields.positiveInt("n_layer")
        headCount = try fields.positiveInt("n_head")
        positionCount = try fields.positiveInt("n_positions", default: 1024)
        innerSize = try fields.positiveInt("n_inner", default: 4 * hiddenSize)
        layerNormEpsilon = try fields.epsilon("layer_norm_epsilon", default: 1e-5)
        activationFunction = try fields.string("activation_function", default: "gelu_new")
        scaleAttnWeights = try fields.bool("scale_attn_weights", default: true)
        scaleAttnByInverseLayerIdx = try fields.bool("scale_attn_by_inverse_layer_idx", default: false)
        reorderAndUpcastAttn = try fields.bool("reorder_and_upcast_attn", default: false)
        tieWordEmbeddings = try fields.bool("tie_word_embeddings", default: true)
        bosTokenId = try fields.optionalInt("bos_token_id")
        eosTokenId = try fields.optionalInt("eos_token_id")
        try requireDivisible(hiddenSize, by: headCount, key: "n_head", fields: fields)
    }
}
