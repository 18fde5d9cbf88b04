/// WordPiece (`model.type == "WordPiece"`, BERT): greedy longest match from the left, `##` on
/// continuation pieces, the whole word becomes `[UNK]` when any position has no match.
struct WordPieceModel: Sendable {
    let vocab: [TokenKey: Int]
    let unknownID: Int
    private let continuingPrefix: String
    private let maxCharactersPerWord: Int

    /// Builds the model from a vocabulary.
    init(vocab: [TokenKey: Int], unknownToken: String, continuingPrefix: String, maxCharactersPerWord: Int) throws {
        guard let unknownID = vocab[TokenKey(unknownToken)] else {
            throw TokenizerError.Fault.invalid(component: "model", reason: "unk_token \(unknownToken) is not in the vocabulary")
        }
        self.vocab = vocab
        self.unknownID = unknownID
        self.continuingPrefix = continuingPrefix
        self.maxCharactersPerWord = maxCharactersPerWord
    }

    /// Builds the model from the `model` object of a tokenizer.json.
    init(config: ConfigObject) throws {
        try self.init(vocab: try config.object("vocab").vocabulary(),
                      unknownToken: try config.optionalString("unk_token") ?? "[UNK]",
                      continuingPrefix: try config.optionalString("continuing_subword_prefix") ?? "##",
                      maxCharactersPerWord: try config.optionalInt("max_input_chars_per_word") ?? 100)
    }

    /// The ids of one word.
    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        if word.count > maxCharactersPerWord { return [unknownID] }
        var ids: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                var piece = word[start..<end].map { $0 }.string
                if start > 0 { piece = continuingPrefix + piece }
                if let id = vocab[TokenKey(piece)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            ids.append(id)
            start = end
        }
        return ids
    }
}
