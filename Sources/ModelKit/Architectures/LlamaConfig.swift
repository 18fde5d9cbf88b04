/// Llama-family decoder settings (`model_type` `llama`, and the same layout under `mistral`, `qwen2`).
public struct LlamaConfig: Sendable, Equatable {
    /// The config's `model_type`: `llama`, `mistral` or `qwen2`.
    public var modelType: String
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    /// Key/value heads; fewer than `headCount` means grouped-query attention.
    public var kvHeadCount: Int
    /// `head_dim`, or `hiddenSize / headCount` when absent.
    public var headDim: Int
    public var rmsNormEps: Double
    public var maxPositionEmbeddings: Int
    /// When true (or `lm_head.weight` is absent) the LM head is the token embedding.
    public var tieWordEmbeddings: Bool
    /// q/k/v projections carry biases (`attention_bias`; always for Qwen2).
    public var qkvBias: Bool
    /// o_proj carries a bias (`attention_bias` in Llama; never in Qwen2).
    public var outputProjectionBias: Bool
    /// gate/up/down carry biases (`mlp_bias`).
    public var mlpBias: Bool
    public var hiddenAct: String
    public var rope: RoPEConfig
    public var bosTokenId: Int?
    /// `eos_token_id` as a list (it may be an int or a list in the file).
    public var eosTokenIds: [Int]

    /// Query heads per key/value head.
    public var groupSize: Int { headCount / kvHeadCount }

    init(_ fields: ConfigFields, modelType: String) throws(ModelConfigError) {
        self.modelType = modelType
        vocabSize = try fields.positiveInt("vocab_size")
        hiddenSize = try fields.positiveInt("hidden_size")
        intermediateSize = try fields.positiveInt("intermediate_size")
        layerCount = try fields.positiveInt("num_hidden_layers")
        headCount = try fields.positiveInt("num_attention_heads")
        kvHeadCount = try fields.positiveInt("num_key_value_heads", default: headCount)
        if fields.has("head_dim") {
            headDim = try fields.positiveInt("head_dim")
        } else {
            try requireDivisible(hiddenSize, by: headCount, key: "num_attention_heads", fields: fields)
            headDim = hiddenSize / headCount
        }
        try requireDivisible(headCount, by: kvHeadCount, key: "num_key_value_heads", fields: fields)
        rmsNormEps = try fields.epsilon("rms_norm_eps", default: 1e-6)
        maxPositionEmbeddings = try fields.positiveInt("max_position_embeddings", default: 2048)
        tieWordEmbeddings = try fields.bool("tie_word_embeddings", default: false)
        if modelType == "qwen2" {
            qkvBias = true
            outputProjectionBias = false
        } else {
            qkvBias = try fields.bool("attention_bias", default: false)
            outputProjectionBias = qkvBias
        }
        mlpBias = try fields.bool("mlp_bias", default: false)
        hiddenAct = try fields.string("hidden_act", default: "silu")
        rope = try RoPEConfig(fields)
        bosTokenId = try fields.optionalInt("bos_token_id")
        eosTokenIds = try fields.intList("eos_token_id")
    }
}
