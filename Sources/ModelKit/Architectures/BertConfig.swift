/// BERT encoder settings (`model_type: "bert"`; BertModel, BertFor*, sentence-transformers).
public struct BertConfig: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    /// `gelu` is the exact erf GELU.
    public var hiddenAct: String
    public var layerNormEps: Double
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    /// Only `absolute` has a forward pass.
    public var positionEmbeddingType: String
    public var padTokenId: Int?

    /// `hiddenSize / headCount`.
    public var headDim: Int { hiddenSize / headCount }

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        vocabSize = try fields.positiveInt("vocab_size")
        hiddenSize = try fields.positiveInt("hidden_size")
        layerCount = try fields.positiveInt("num_hidden_layers")
        headCount = try fields.positiveInt("num_attention_heads")
        intermediateSize = try fields.positiveInt("intermediate_size")
        hiddenAct = try fields.string("hidden_act", default: "gelu")
        layerNormEps = try fields.epsilon("layer_norm_eps", default: 1e-12)
        maxPositionEmbeddings = try fields.positiveInt("max_position_embeddings", default: 512)
        typeVocabSize = try fields.positiveInt("type_vocab_size", default: 2)
        positionEmbeddingType = try fields.string("position_embedding_type", default: "absolute")
        padTokenId = try fields.optionalInt("pad_token_id")
        try requireDivisible(hiddenSize, by: headCount, key: "num_attention_heads", fields: fields)
    }
}

/// Throws when `value` is not a multiple of `divisor` (heads must split the hidden size evenly).
func requireDivisible(_ value: Int, by divisor: Int, key: String, fields: ConfigFields) throws(ModelConfigError) {
    guard value % divisor == 0 else {
        throw .invalidValue(file: fields.file, key: key, reason: "(\(divisor)) does not divide \(value)")
    }
}
