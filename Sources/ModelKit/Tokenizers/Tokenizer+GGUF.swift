import Foundation

extension Tokenizer {
    /// Builds the tokenizer that a GGUF file describes in its `tokenizer.ggml.*` metadata, id for id as
    /// transformers builds it (`AutoTokenizer.from_pretrained(folder, gguf_file: name)`).
    ///
    /// ```swift
    /// let tokenizer = try Tokenizer(gguf: GGUFFile(url: modelFile))
    /// let ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>")     // [1, 4093, 198, 6004, 2] (SmolLM2)
    /// ```
    ///
    /// Supported `tokenizer.ggml.model`s: `gpt2` (byte-level BPE over `tokens` and `merges`) and `llama`
    /// (SentencePiece-style BPE with byte fallback over `tokens`, with `merges` or, when the file has none,
    /// merges derived from `scores`). Control tokens become special tokens, user-defined ones added tokens;
    /// a `tokenizer.ggml.pre` that transformers knows selects its split regex. Anything else fails with a
    /// `TokenizerError` naming the file.
    public init(gguf file: GGUFFile) throws {
        try self.init(ggufMetadata: file.metadata, file: file.url.path)
    }

    /// The same from a GGUF file's metadata; `file` names the source in errors.
    public init(ggufMetadata metadata: [String: GGUFValue], file: String) throws {
        do {
            try self.init(GGUFTokenizerMetadata(metadata), file: file)
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: file, fault: fault)
        }
    }

    /// The `tokenizer.json` and `tokenizer_config.json` of a Hugging Face folder that tokenize as the GGUF
    /// file's metadata does (an exported model folder gets them); `file` names the source in errors.
    public static func huggingFaceFiles(ggufMetadata metadata: [String: GGUFValue], file: String) throws -> (tokenizer: Data, config: Data) {
        do {
            let source = GGUFTokenizerMetadata(metadata)
            let (tokenizer, config) = try source.huggingFaceObjects()
            return (try JSONSerialization.data(withJSONObject: tokenizer, options: [.sortedKeys]),
                    try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]))
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: file, fault: fault)
        }
    }

    /// The tokenizer those two files describe, parsed as any `tokenizer.json` is: the GGUF metadata is
    /// translated once, and loading and export share the translation.
    private init(_ source: GGUFTokenizerMetadata, file: String) throws {
        let (tokenizer, config) = try source.huggingFaceObjects()
        let roles = try ConfigObject(json: try JSONSerialization.data(withJSONObject: config))
        try self.init(root: try ConfigObject(json: try JSONSerialization.data(withJSONObject: tokenizer)), file: file) { roles }
    }
}

extension GGUFTokenizerMetadata {
    /// The `tokenizer.json` and `tokenizer_config.json` objects transformers' GGUF converter builds from this
    /// metadata, id for id.
    func huggingFaceObjects() throws -> (tokenizer: [String: Any], config: [String: Any]) {
        let kind = try kind()
        let tokens = try strings("tokenizer.ggml.tokens")
        // transformers respells a byte-level token that is not already written in the byte alphabet.
        let spelled = kind == .byteLevel ? tokens.map(Self.byteLevelSpelling) : tokens
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(spelled.count)
        for (id, token) in spelled.enumerated() { vocab[token] = id }
        let merges = try merges(tokens: tokens).map { [$0.0, $0.1] }
        func byteLevel(regex: Bool) -> [String: Any] {
            ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": regex]
        }

        var model: [String: Any] = ["type": "BPE", "vocab": vocab, "merges": merges, "dropout": NSNull(), "unk_token": NSNull(),
                                    "continuing_subword_prefix": NSNull(), "end_of_word_suffix": NSNull(), "ignore_merges": false]
        var preTokenizer: [String: Any]
        let decoder: [String: Any]
        switch kind {
        case .byteLevel:
            // transformers' GPT2Tokenizer: the GPT-2 split regex inside ByteLevel.
            model["fuse_unk"] = false
            model["byte_fallback"] = false
            preTokenizer = byteLevel(regex: true)
            decoder = byteLevel(regex: true)
        case .sentencePiece:
            // transformers' LlamaTokenizer. It has no unknown token in the model, so a character with
            // neither a token nor byte tokens is dropped (llama.cpp gives the unknown token), and it
            // prepends `▁` to the first piece of text whatever `tokenizer.ggml.add_space_prefix` says.
            model["fuse_unk"] = true
            model["byte_fallback"] = true
            preTokenizer = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false]
            decoder = ["type": "Sequence", "decoders": [
                ["type": "Replace", "pattern": ["String": "▁"], "content": " "], ["type": "ByteFallback"], ["type": "Fuse"],
                ["type": "Strip", "content": " ", "start": 1, "stop": 0],
            ]]
        }
        // A `tokenizer.ggml.pre` transformers has no split for keeps the model's own pre-tokenizer. SmolLM2's
        // `smollm` is one: transformers splits with the GPT-2 regex alone, where llama.cpp first cuts every
        // digit apart (`\p{N}`, then the GPT-2 regex). SmolLM2's vocabulary has no token holding a digit
        // beside anything else, so the two give the same ids there.
        if let pre = try optionalString("tokenizer.ggml.pre"), let pattern = Self.splitPatterns[pre] {
            preTokenizer = ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false], byteLevel(regex: false),
            ]]
        }

        // Control tokens are special, user-defined ones plain added tokens; a byte-level token whose
        // spelling is outside the byte alphabet has been respelled, is no key of `vocab`, and stays out.
        var added: [Int: (content: String, special: Bool)] = [:]
        for (token, type) in zip(tokens, try tokenTypes()) {
            guard let id = vocab[token], type == .control || type == .userDefined else { continue }
            added[id] = (token, type == .control)
        }
        // The role tokens are special whatever their type (a SentencePiece `<unk>` is `unknown`).
        var config: [String: Any] = ["tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": false]
        var roleIDs: [String: (id: Int, token: String)] = [:]
        for (role, token) in try roleTokens(tokens) {
            // A byte-level role token spelled outside the byte alphabet has no id (transformers would append
            // it as a new token); it is left out.
            guard let id = vocab[token] else { continue }
            roleIDs[role] = (id, token)
            config[role] = token
            added[id] = (token, true)
        }
        if let template = try optionalString("tokenizer.chat_template") { config["chat_template"] = template }

        var single: [[String: Any]] = [["Sequence": ["id": "A", "type_id": 0]]]
        var specials: [String: Any] = [:]
        func special(_ role: String) -> [String: Any]? {
            guard let (id, token) = roleIDs[role] else { return nil }
            specials[token] = ["id": token, "ids": [id], "tokens": [token]]
            return ["SpecialToken": ["id": token, "type_id": 0]]
        }
        let addBOS = try optionalBool("tokenizer.ggml.add_bos_token") ?? (kind == .sentencePiece)
        let addEOS = try optionalBool("tokenizer.ggml.add_eos_token") ?? false
        if addBOS, let bos = special("bos_token") { single.insert(bos, at: 0) }
        if addEOS, let eos = special("eos_token") { single.append(eos) }
        config["add_bos_token"] = addBOS
        config["add_eos_token"] = addEOS
        let pair = single + single.map { item in item["Sequence"] == nil ? item : ["Sequence": ["id": "B", "type_id": 1]] }

        let tokenizer: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "normalizer": NSNull(),
            "added_tokens": added.keys.sorted().map { id in
                ["id": id, "content": added[id]!.content, "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": added[id]!.special] as [String: Any]
            },
            "pre_tokenizer": preTokenizer,
            "post_processor": ["type": "TemplateProcessing", "single": single, "pair": pair, "special_tokens": specials],
            "decoder": decoder,
            "model": model,
        ]
        return (tokenizer, config)
    }
}

/// Typed access to the `tokenizer.ggml.*` metadata of a GGUF file, and the rules transformers' GGUF
/// tokenizer converters (`integrations/gguf/gguf_tokenizer_mapping.py`) apply to it.
struct GGUFTokenizerMetadata {
    /// The tokenizer families a file can describe here.
    enum Kind { case byteLevel, sentencePiece }

    /// `tokenizer.ggml.token_type`, as llama.cpp numbers it.
    enum TokenType: Int { case normal = 1, unknown, control, userDefined, unused, byte }

    let metadata: [String: GGUFValue]

    init(_ metadata: [String: GGUFValue]) { self.metadata = metadata }

    /// The split regex transformers puts before a byte-level step for each `tokenizer.ggml.pre` it knows.
    static let splitPatterns: [String: String] = {
        let llama3 = SplitScanner.llama3Pattern
        let qwen2 = SplitScanner.qwen2Pattern
        let qwen35 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        let tekken = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"#
            + #"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"#
            + #"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        let gpt4o = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#
            + #"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#
            + #"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        var table: [String: String] = [:]
        for name in ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                     "jina-v5-nano", "dbrx", "smaug-bpe"] { table[name] = llama3 }
        for name in ["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez"] { table[name] = qwen2 }
        for name in ["gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2"] { table[name] = gpt4o }
        table["tekken"] = tekken
        table["qwen35"] = qwen35
        return table
    }()

    /// The architectures whose `llama` vocabulary transformers rebuilds with changes of their own (Gemma's
    /// respelled space tokens and merges in file order, Phi-3's prefix-space normalizer).
    private static let rebuiltSentencePieceArchitectures: Set<String> = ["gemma", "gemma2", "gemma3", "phi3"]

    /// The family of `tokenizer.ggml.model`; throws `unsupported` naming the model for any other.
    func kind() throws -> Kind {
        let model = try string("tokenizer.ggml.model")
        switch model {
        case "gpt2":
            return .byteLevel
        case "llama":
            if let architecture = try optionalString("general.architecture"),
               GGUFTokenizerMetadata.rebuiltSentencePieceArchitectures.contains(architecture) {
                throw TokenizerError.Fault.unsupported(component: "tokenizer.ggml.model",
                                                       type: "llama (general.architecture \(architecture))")
            }
            return .sentencePiece
        default:
            throw TokenizerError.Fault.unsupported(component: "tokenizer.ggml.model", type: model)
        }
    }

    /// `token`, or its UTF-8 bytes in the byte alphabet when it uses other characters.
    static func byteLevelSpelling(_ token: String) -> String {
        let scalars = Array(token.unicodeScalars)
        return scalars.allSatisfy { ByteLevelAlphabet.bytes[$0] != nil } ? token : ByteLevelAlphabet.encode(scalars).string
    }

    /// The type of each token; a file without `token_type` has none, and so adds no tokens.
    func tokenTypes() throws -> [TokenType?] {
        guard let value = metadata["tokenizer.ggml.token_type"] else { return [] }
        guard let numbers = value.ints else { throw TokenizerError.Fault.missingField("tokenizer.ggml.token_type") }
        return numbers.map(TokenType.init(rawValue:))
    }

    /// The `bos_token` … `pad_token` roles the file names by id, with their token strings.
    func roleTokens(_ tokens: [String]) throws -> [(role: String, token: String)] {
        let keys = [("bos_token", "bos_token_id"), ("eos_token", "eos_token_id"),
                    ("unk_token", "unknown_token_id"), ("pad_token", "padding_token_id")]
        return try keys.compactMap { role, key in
            let field = "tokenizer.ggml.\(key)"
            guard let value = metadata[field] else { return nil }
            guard let id = value.int else { throw TokenizerError.Fault.missingField(field) }
            guard tokens.indices.contains(id) else {
                throw TokenizerError.Fault.invalid(component: field, reason: "\(id) is not a token id (there are \(tokens.count))")
            }
            return (role, tokens[id])
        }
    }

    /// `tokenizer.ggml.merges`, or when absent the merges transformers derives from the scores.
    func merges(tokens: [String]) throws -> [(String, String)] {
        if metadata["tokenizer.ggml.merges"] != nil {
            return try strings("tokenizer.ggml.merges").enumerated().map { index, line in
                guard let pair = BPEModel.mergePair(line.unicodeScalars) else {
                    throw TokenizerError.Fault.malformed(reason: "tokenizer.ggml.merges[\(index)] is not a pair")
                }
                return pair
            }
        }
        guard let scores = metadata["tokenizer.ggml.scores"]?.array?.compactMap(\.double), scores.count == tokens.count else {
            throw TokenizerError.Fault.missingField("tokenizer.ggml.scores")
        }
        return GGUFTokenizerMetadata.mergesFromScores(tokens: tokens, scores: scores)
    }

    /// transformers' `generate_merges` with scores: every split of every token into two tokens, best
    /// score first, then the longer left and right parts; within one token by the parts' ids; else in
    /// token order.
    static func mergesFromScores(tokens: [String], scores: [Double]) -> [(String, String)] {
        // Python's `dict(zip(tokens, scores))`: each distinct token once, where it first appears, with its last score.
        var ids: [TokenKey: Int] = [:]
        var position: [TokenKey: Int] = [:]
        var distinct: [(scalars: [Unicode.Scalar], score: Double)] = []
        for (id, (token, score)) in zip(tokens, scores).enumerated() {
            let key = TokenKey(token)
            if let index = position[key] {
                distinct[index].score = score
            } else {
                position[key] = distinct.count
                distinct.append((Array(token.unicodeScalars), score))
            }
            ids[key] = id
        }
        struct Candidate {
            var left: [Unicode.Scalar]
            var right: [Unicode.Scalar]
            var score: Double
            var leftID: Int
            var rightID: Int
        }
        var candidates: [Candidate] = []
        for (scalars, score) in distinct {
            var local: [Candidate] = []
            for cut in scalars.indices.dropFirst() {
                let left = Array(scalars[..<cut]), right = Array(scalars[cut...])
                guard let leftID = ids[TokenKey(left)], let rightID = ids[TokenKey(right)] else { continue }
                local.append(Candidate(left: left, right: right, score: score, leftID: leftID, rightID: rightID))
            }
            local.sort { ($0.leftID, $0.rightID) < ($1.leftID, $1.rightID) }
            candidates += local
        }
        // Python's sort is stable: the index breaks the remaining ties the same way.
        let ranked = candidates.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.score != b.score { return a.score > b.score }
            if a.left.count != b.left.count { return a.left.count > b.left.count }
            if a.right.count != b.right.count { return a.right.count > b.right.count }
            return lhs.offset < rhs.offset
        }
        return ranked.map { ($0.element.left.string, $0.element.right.string) }
    }

    func string(_ key: String) throws -> String {
        guard let text = metadata[key]?.string else { throw TokenizerError.Fault.missingField(key) }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        metadata[key] == nil ? nil : try string(key)
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = metadata[key] else { return nil }
        guard let flag = value.bool else { throw TokenizerError.Fault.missingField(key) }
        return flag
    }

    func strings(_ key: String) throws -> [String] {
        guard let list = metadata[key]?.strings else { throw TokenizerError.Fault.missingField(key) }
        return list
    }
}
