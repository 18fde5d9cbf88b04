/// The `model` stage: turns each pre-tokenized word into ids.
enum TokenizerModel: Sendable {
    case bpe(BPEModel)
    case wordPiece(WordPieceModel)
    case wordLevel(vocab: [TokenKey: Int], unknownID: Int?)

    /// Builds the model from the `model` object of a tokenizer.json; files without `type` are BPE, as in
    /// the reference.
    init(config: ConfigObject) throws {
        let type = try config.optionalString("type") ?? "BPE"
        switch type {
        case "BPE": self = .bpe(try BPEModel(config: config))
        case "WordPiece": self = .wordPiece(try WordPieceModel(config: config))
        case "WordLevel":
            let vocab = try config.object("vocab").vocabulary()
            let unknown = try config.optionalString("unk_token")
            if let unknown, vocab[TokenKey(unknown)] == nil {
                throw TokenizerError.Fault.invalid(component: "model", reason: "unk_token \(unknown) is not in the vocabulary")
            }
            self = .wordLevel(vocab: vocab, unknownID: unknown.flatMap { vocab[TokenKey($0)] })
        default:
            throw TokenizerError.Fault.unsupported(component: "model", type: type)
        }
    }

    /// Token → id.
    var vocab: [TokenKey: Int] {
        switch self {
        case .bpe(let model): return model.vocab
        case .wordPiece(let model): return model.vocab
        case .wordLevel(let vocab, _): return vocab
        }
    }

    /// The id of the unknown token, if the model has one.
    var unknownID: Int? {
        switch self {
        case .bpe(let model): return model.unknownID
        case .wordPiece(let model): return model.unknownID
        case .wordLevel(_, let unknownID): return unknownID
        }
    }

    /// The ids of one word.
    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        switch self {
        case .bpe(let model): return model.tokenize(word)
        case .wordPiece(let model): return model.tokenize(word)
        case .wordLevel(let vocab, let unknownID):
            if let id = vocab[TokenKey(word)] { return [id] }
            return unknownID.map { [$0] } ?? []
        }
    }
}
