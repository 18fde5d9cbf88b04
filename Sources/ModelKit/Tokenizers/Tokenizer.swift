import Foundation

/// A Hugging Face tokenizer (`tokenizer.json`, a GPT-2/OPT `vocab.json` + `merges.txt` pair, or the
/// `tokenizer.ggml.*` metadata of a GGUF file) that encodes text to ids exactly as the `tokenizers` library does.
///
/// ```swift
/// let tokenizer = try Tokenizer(contentsOf: modelFolder.appendingPathComponent("tokenizer.json"))
/// let ids = tokenizer.encode("Hello, world!")          // [101, 7592, 1010, 2088, 999, 102]
/// let text = tokenizer.decode(ids)                      // "hello, world!"
/// ```
///
/// Supported: WordPiece, BPE (byte-level and SentencePiece-style with byte fallback) and WordLevel models;
/// BERT, Prepend, Replace, Lowercase, Strip, StripAccents and NFC/NFD/NFKC/NFKD normalizers; BERT,
/// ByteLevel, Split, Metaspace, Whitespace, WhitespaceSplit, Punctuation and Digits pre-tokenizers;
/// Template/Bert/Roberta/ByteLevel post-processors. Anything else fails to load with a `TokenizerError`.
public struct Tokenizer: Sendable {
    private let model: TokenizerModel
    private let normalizer: Normalizer?
    private let preTokenizer: PreTokenizer?
    private let postProcessor: PostProcessor?
    private let decoder: TokenDecoder?
    private let addedTokens: [Int: AddedToken]
    private let addedIDs: [TokenKey: Int]
    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private let tokensByID: [Int: String]

    /// Number of distinct tokens, added tokens included.
    public let vocabularySize: Int
    /// The ids encoding can give (of the vocabulary, the added tokens and the post-processor's specials),
    /// smallest to largest; nil for an empty vocabulary.
    public var idRange: ClosedRange<Int>? {
        let ids = Array(tokensByID.keys) + (postProcessor.map { $0.process([]) } ?? [])
        guard let low = ids.min(), let high = ids.max() else { return nil }
        return low...high
    }
    /// The ids of the role-bearing special tokens.
    public let specialTokens: SpecialTokenIDs

    /// Loads a `tokenizer.json`; reads `tokenizer_config.json` beside it, when present, for the special-token
    /// roles. Ignores the file's `truncation` and `padding`.
    public init(contentsOf url: URL) throws {
        try self.init(root: Tokenizer.readJSON(url), file: url.path) { try Tokenizer.readRoles(besides: url) }
    }

    /// Parses the bytes of a `tokenizer.json` held in memory; `file` names the source in errors. Without a
    /// `tokenizer_config.json` the special-token roles come from the post-processor template alone.
    ///
    /// ```swift
    /// let tokenizer = try Tokenizer(json: Data(contentsOf: url), file: "tokenizer.json")
    /// ```
    public init(json data: Data, file: String) throws {
        let root: ConfigObject
        do { root = try ConfigObject(json: data) } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: file, fault: fault)
        }
        try self.init(root: root, file: file) { nil }
    }

    /// Builds the stages a parsed `tokenizer.json` describes; `roles` reads the special-token roles.
    init(root: ConfigObject, file: String, roles: () throws -> ConfigObject?) throws {
        do {
            let addedTokens = try root.has("added_tokens")
                ? root.objects("added_tokens").map(AddedToken.init(config:)) : []
            try self.init(
                model: TokenizerModel(config: root.object("model")),
                normalizer: root.optionalObject("normalizer").map(Normalizer.init(config:)),
                preTokenizer: root.optionalObject("pre_tokenizer").map(PreTokenizer.init(config:)),
                postProcessor: root.optionalObject("post_processor").map(PostProcessor.init(config:)),
                decoder: root.optionalObject("decoder").map(TokenDecoder.init(config:)),
                addedTokens: addedTokens,
                roles: roles())
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: file, fault: fault)
        }
    }

    /// Assembles a tokenizer from its stages.
    init(model: TokenizerModel, normalizer: Normalizer?, preTokenizer: PreTokenizer?, postProcessor: PostProcessor?,
         decoder: TokenDecoder?, addedTokens: [AddedToken], roles: ConfigObject?) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.addedTokens = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        rawMatcher = AddedTokenMatcher(tokens: addedTokens.filter { !$0.normalized })
        normalizedMatcher = AddedTokenMatcher(tokens: addedTokens.filter(\.normalized)) {
            normalizer?.normalize($0) ?? $0
        }
        var tokensByID: [Int: String] = [:]
        tokensByID.reserveCapacity(model.vocab.count + addedTokens.count)
        for (token, id) in model.vocab { tokensByID[id] = token.string }
        // Like the reference, a normalized added token decodes to its normalized content.
        for token in addedTokens {
            tokensByID[token.id] = token.normalized
                ? (normalizer?.normalize(Array(token.content.unicodeScalars)).string ?? token.content) : token.content
        }
        self.tokensByID = tokensByID
        let addedIDs = Dictionary(addedTokens.map { (TokenKey($0.content), $0.id) },
                                  uniquingKeysWith: { first, _ in first })
        self.addedIDs = addedIDs
        let vocab = model.vocab
        vocabularySize = vocab.count + addedIDs.keys.filter { vocab[$0] == nil }.count
        specialTokens = SpecialTokenIDs.resolve(idOf: { addedIDs[TokenKey($0)] ?? vocab[TokenKey($0)] },
                                                unknownID: model.unknownID, template: postProcessor, config: roles)
    }

    /// Encodes `text`; with `addSpecialTokens` the post-processor adds its special tokens (`[CLS] … [SEP]`,
    /// a BOS). Added tokens in the text are recognized either way.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        let ids = contentIDs(text)
        guard addSpecialTokens, let postProcessor else { return ids }
        return postProcessor.process(ids)
    }

    /// Encodes `text` and keeps at most `maxLength` ids in all: the text is cut from the right so that the
    /// special tokens still fit, as the reference's truncation does. The special tokens are kept even when
    /// `maxLength` is smaller than their count.
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int) -> [Int] {
        let ids = contentIDs(text)
        guard addSpecialTokens, let postProcessor else { return Array(ids.prefix(max(0, maxLength))) }
        return postProcessor.process(Array(ids.prefix(max(0, maxLength - postProcessor.addedCount))))
    }

    /// The text of `ids`; unknown ids are skipped, and so are special tokens unless `skipSpecialTokens` is
    /// false.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let tokens = ids.compactMap { id -> String? in
            if skipSpecialTokens, addedTokens[id]?.special == true { return nil }
            return tokensByID[id]
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens)
    }

    /// The id of a token string (added tokens first), if it has one.
    public func id(of token: String) -> Int? {
        addedIDs[TokenKey(token)] ?? model.vocab[TokenKey(token)]
    }

    /// The token string of an id, if it has one.
    public func token(of id: Int) -> String? { tokensByID[id] }

    /// The ids of `text` before post-processing.
    private func contentIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in rawMatcher.split(TextPiece(scalars: Array(text.unicodeScalars), atStart: true)) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let piece):
                let normalized = TextPiece(scalars: normalizer?.normalize(piece.scalars) ?? piece.scalars,
                                           atStart: piece.atStart)
                for inner in normalizedMatcher.split(normalized) {
                    switch inner {
                    case .token(let id):
                        ids.append(id)
                    case .text(let words):
                        for word in preTokenizer?.split([words]) ?? [words] {
                            ids.append(contentsOf: model.tokenize(word.scalars))
                        }
                    }
                }
            }
        }
        return ids
    }

    /// Reads and parses a JSON file, with errors naming it.
    static func readJSON(_ url: URL) throws -> ConfigObject {
        do {
            let bytes: [UInt8]
            do { bytes = try RegularFile.contents(of: url) } catch { throw TokenizerError.Fault.unreadable(reason: error.reason) }
            return try ConfigObject(json: Data(bytes))
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: url.path, fault: fault)
        }
    }

    /// `tokenizer_config.json` in the folder of `url`, if there is one.
    static func readRoles(besides url: URL) throws -> ConfigObject? {
        let config = url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: config.path) else { return nil }
        return try readJSON(config)
    }
}
