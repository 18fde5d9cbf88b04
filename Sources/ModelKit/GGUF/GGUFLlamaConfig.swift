/// A Llama-family `LlamaConfig` from GGUF metadata (`general.architecture` `llama`): the `llama.*` keys are
/// mapped onto the `config.json` fields they stand for, so both formats go through one parser.
enum GGUFLlamaConfig {
    /// The architecture this reader runs.
    static let architecture = "llama"

    /// The config of `file`; throws `GGUFError` for missing or unsupported keys and `ModelConfigError` for
    /// values the Llama config refuses.
    static func config(of file: GGUFFile) throws -> LlamaConfig {
        try LlamaConfig(ConfigFields(object: .object(try fields(of: file)), file: file.url.path), modelType: "llama")
    }

    /// The `config.json` of a Hugging Face `LlamaForCausalLM` folder holding the file's weights (in F32).
    static func huggingFaceConfig(of file: GGUFFile) throws -> [String: Any] {
        var config = StrictJSON.object(try fields(of: file)).foundationObject as! [String: Any]
        config["architectures"] = ["LlamaForCausalLM"]
        config["hidden_act"] = "silu"
        config["torch_dtype"] = "float32"
        return config
    }

    /// The `config.json` fields the metadata stands for.
    private static func fields(of file: GGUFFile) throws -> [(key: String, value: StrictJSON)] {
        let path = file.url.path
        guard let architecture = file.metadata["general.architecture"]?.string else {
            throw GGUFError.missingMetadata(file: path, key: "general.architecture")
        }
        guard architecture == Self.architecture else { throw GGUFError.unsupportedArchitecture(file: path, architecture: architecture) }
        func key(_ name: String) -> String { "\(architecture).\(name)" }
        func int(_ name: String) throws -> Int? {
            guard let value = file.metadata[name] else { return nil }
            guard let int = value.int else { throw GGUFError.invalidMetadata(file: path, key: name, reason: "expected an integer, found \(value.summary)") }
            return int
        }
        func required(_ name: String) throws -> Int {
            guard let value = try int(name) else { throw GGUFError.missingMetadata(file: path, key: name) }
            return value
        }
        func double(_ name: String) throws -> Double? {
            guard let value = file.metadata[name] else { return nil }
            guard let double = value.double else { throw GGUFError.invalidMetadata(file: path, key: name, reason: "expected a number, found \(value.summary)") }
            return double
        }
        if file.contains("rope_freqs.weight") {
            throw GGUFError.invalidTensorInfo(file: path, tensor: "rope_freqs.weight",
                                              reason: "per-frequency RoPE factors (Llama 3.1 scaling) are not supported")
        }
        let headCount = try required(key("attention.head_count"))
        let hidden = try required(key("embedding_length"))
        let headDim = try int(key("attention.key_length")) ?? hidden / max(headCount, 1)
        if let rotated = try int(key("rope.dimension_count")), rotated != headDim {
            throw GGUFError.invalidMetadata(file: path, key: key("rope.dimension_count"),
                                            reason: "partial rotary embeddings (\(rotated) of \(headDim) dimensions) are not supported")
        }
        let vocab = try int(key("vocab_size")) ?? file.metadata["tokenizer.ggml.tokens"]?.array?.count
            ?? (try? file.info("token_embd.weight").shape.first) ?? 0

        var fields: [(key: String, value: StrictJSON)] = [
            ("model_type", .string("llama")),
            ("vocab_size", .number("\(vocab)")),
            ("hidden_size", .number("\(hidden)")),
            ("intermediate_size", .number("\(try required(key("feed_forward_length")))")),
            ("num_hidden_layers", .number("\(try required(key("block_count")))")),
            ("num_attention_heads", .number("\(headCount)")),
            ("num_key_value_heads", .number("\(try int(key("attention.head_count_kv")) ?? headCount)")),
            ("head_dim", .number("\(headDim)")),
            ("tie_word_embeddings", .bool(!file.contains("output.weight"))),
            ("attention_bias", .bool(file.contains("blk.0.attn_q.bias"))),
            ("mlp_bias", .bool(file.contains("blk.0.ffn_up.bias"))),
        ]
        if let eps = try double(key("attention.layer_norm_rms_epsilon")) { fields.append(("rms_norm_eps", .number("\(eps)"))) }
        if let context = try int(key("context_length")) { fields.append(("max_position_embeddings", .number("\(context)"))) }
        if let theta = try double(key("rope.freq_base")) { fields.append(("rope_theta", .number("\(theta)"))) }
        if let type = file.metadata[key("rope.scaling.type")]?.string, type != "none" {
            var scaling: [(key: String, value: StrictJSON)] = [("rope_type", .string(type))]
            if let factor = try double(key("rope.scaling.factor")) { scaling.append(("factor", .number("\(factor)"))) }
            fields.append(("rope_scaling", .object(scaling)))
        }
        if let bos = try int("tokenizer.ggml.bos_token_id") { fields.append(("bos_token_id", .number("\(bos)"))) }
        if let eos = try int("tokenizer.ggml.eos_token_id") { fields.append(("eos_token_id", .number("\(eos)"))) }
        return fields
    }
}

extension GGUFFile {
    /// The `config.json` of a Hugging Face folder holding this Llama file's weights (an export writes it).
    public func huggingFaceConfig() throws -> [String: Any] { try GGUFLlamaConfig.huggingFaceConfig(of: self) }
}
