import Foundation

extension Tokenizer {
    /// The special tokens a GPT-2/OPT vocabulary conventionally holds; those present become atomic special tokens.
    static let conventionalSpecialTokens = ["<|endoftext|>", "<s>", "</s>", "<pad>", "<unk>", "<mask>"]

    /// Loads a byte-level BPE from a GPT-2/OPT-style `vocab.json` + `merges.txt` pair.
    ///
    /// - Parameters:
    ///   - bosToken: a token put before every sequence when encoding with special tokens (OPT: `"</s>"`;
    ///     GPT-2: nil).
    ///   - addPrefixSpace: put a space before text that does not start with one (RoBERTa-style).
    ///
    /// `tokenizer_config.json` beside the vocabulary, when present, names the special-token roles.
    public init(vocabularyFile: URL, mergesFile: URL, bosToken: String? = nil, addPrefixSpace: Bool = false) throws {
        let vocabObject = try Tokenizer.readJSON(vocabularyFile)
        let vocab: [TokenKey: Int]
        do {
            vocab = try vocabObject.vocabulary()
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: vocabularyFile.path, fault: fault)
        }
        let merges = try Tokenizer.readMerges(mergesFile)
        do {
            let model = try BPEModel(vocab: vocab, merges: merges)
            let specials = Tokenizer.conventionalSpecialTokens.compactMap { token in
                vocab[TokenKey(token)].map { AddedToken(id: $0, content: token, special: true, normalized: false) }
            }
            var postProcessor: PostProcessor?
            if let bosToken {
                guard let id = vocab[TokenKey(bosToken)] else {
                    throw TokenizerError.Fault.invalid(component: "post_processor", reason: "\(bosToken) is not in the vocabulary")
                }
                postProcessor = .template([.special([id]), .sequence])
            }
            try self.init(model: .bpe(model), normalizer: nil,
                          preTokenizer: .byteLevel(addPrefixSpace: addPrefixSpace, useRegex: true),
                          postProcessor: postProcessor, decoder: .byteLevel, addedTokens: specials,
                          roles: Tokenizer.readRoles(besides: vocabularyFile))
        } catch let fault as TokenizerError.Fault {
            throw TokenizerError(file: mergesFile.path, fault: fault)
        }
    }

    /// The `a b` lines of a merges.txt in rank order, skipping the `#version` header and blank lines.
    static func readMerges(_ url: URL) throws -> [(String, String)] {
        guard let data = try? Data(contentsOf: url) else {
            throw TokenizerError(file: url.path, fault: .unreadable(reason: "cannot read the file"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TokenizerError(file: url.path, fault: .malformed(reason: "not UTF-8 text"))
        }
        var merges: [(String, String)] = []
        for (number, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.last == "\r" ? line.dropLast() : line[...]
            if line.isEmpty || line.starts(with: "#version".unicodeScalars) { continue }
            guard let pair = BPEModel.mergePair(line) else {
                throw TokenizerError(file: url.path, fault: .malformed(reason: "line \(number + 1) is not a pair"))
            }
            merges.append(pair)
        }
        return merges
    }
}
