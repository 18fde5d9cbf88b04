/// OPT decoder settings (`model_type: "opt"`).
public struct OPTConfig: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var ffnDim: Int
    public var layerCount: Int
    public var headCount: Int
    /// Learned positions; the table has `maxPositionEmbeddings + 2` rows (offset 2).
    public var maxPositionEmbeddings: Int
    /// Differs from `hiddenSize` only in opt-350m, which adds `project_in`/`project_out`.
    public var wordEmbedProjDim: Int
    /// False means post-LN blocks (opt-350m).
    public var doLayerNormBefore: Bool
    public var removeFinalLayerNorm: Bool
    public var activationFunction: String
    public var enableBias: Bool
    public var layerNormElementwiseAffine: Bool
    /// Defaults to true: the LM head is the token embedding unless `lm_head.weight` is stored.
    public var tieWordEmbeddings: Bool
    public var padTokenId: Int?
    public var bosTokenId: Int?
    public var eosTokenId: Int?

    /// `hiddenSize / headCount`.
    public var headDim: Int { hiddenSize / headCount }

    /// True when a final LayerNorm follows the last block.
    public var hasFinalLayerNorm: Bool { doLayerNormBefore && !removeFinalLayerNorm }

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        vocabSize = try fields.positiveInt("vocab_size")
        hiddenSize = try fields.positiveInt("hidden_size")
        ffnDim = try fields.positiveInt("ffn_dim")
        layerCount = try fields.positiveInt("num_hidden_layers")
        headCount = try fields.positiveInt("num_attention_heads")
        maxPositionEmbeddings = try fields.positiveInt("max_position_embeddings", default: 2048)
        wordEmbedProjDim = try fields.positiveInt("word_embed_proj_dim", default: hiddenSize)
        doLayerNormBefore = try fields.bool("do_layer_norm_before", default: true)
        removeFinalLayerNorm = try fields.bool("_remove_final_layer_norm", default: false)
        activationFunction = try fields.string("activation_function", default: "relu")
        enableBias = try fields.bool("enable_bias", default: true)
        layerNormElementwiseAffine = try fields.bool("layer_norm_elementwise_affine", default: true)
        tieWordEmbeddings = try fields.bool("tie_word_embeddings", default: true)
        padTokenId = try fields.optionalInt("pad_token_id")
        bosTokenId = try fields.optionalInt("bos_token_id")
        eosTokenId = try fields.optionalInt("eos_token_id")
        try requireDivisible(hiddenSize, by: headCount, key: "num_attention_heads", fields: fields)
    }
}
