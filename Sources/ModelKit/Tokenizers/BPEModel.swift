/// Byte-pair encoding (`model.type == "BPE"`): byte-level (GPT-2, OPT, Llama-3) and SentencePiece-style
/// with byte fallback (Llama-2).
struct BPEModel: Sendable {
    private struct Pair: Hashable { var left: Int; var right: Int }

    let vocab: [TokenKey: Int]
    let unknownID: Int?
    private let merges: [Pair: (rank: Int, id: Int)]
    private let fuseUnknown: Bool
    private let ignoreMerges: Bool
    private let continuingPrefix: String?
    private let endOfWordSuffix: String?
    /// The ids of `<0x00>` … `<0xFF>` when byte fallback is on (nil entries for bytes the vocabulary lacks).
    private let byteIDs: [Int?]?

    /// Builds the model from a vocabulary and merges in rank order.
    init(vocab: [TokenKey: Int], merges: [(String, String)], unknownToken: String? = nil, fuseUnknown: Bool = false,
         byteFallback: Bool = false, ignoreMerges: Bool = false,
         continuingPrefix: String? = nil, endOfWordSuffix: String? = nil) throws {
        self.vocab = vocab
        self.fuseUnknown = fuseUnknown
        self.ignoreMerges = ignoreMerges
        self.continuingPrefix = continuingPrefix
        self.endOfWordSuffix = endOfWordSuffix
        if let unknownToken {
            guard let id = vocab[TokenKey(unknownToken)] else {
                throw TokenizerError.Fault.invalid(component: "model", reason: "unk_token \(unknownToken) is not in the vocabulary")
            }
            unknownID = id
        } else {
            unknownID = nil
        }
        if byteFallback {
            byteIDs = (0..<256).map { vocab[TokenKey(BPEModel.byteToken($0))] }
        } else {
            byteIDs = nil
        }
        var table: [Pair: (rank: Int, id: Int)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            let merged = left + (continuingPrefix.map { right.hasScalarPrefix($0) ? right.droppingScalars($0.unicodeScalars.count) : right } ?? right)
            guard let leftID = vocab[TokenKey(left)], let rightID = vocab[TokenKey(right)], let id = vocab[TokenKey(merged)] else {
                throw TokenizerError.Fault.invalid(component: "model", reason: "merge \(rank) (\(left) \(right)) uses a token missing from the vocabulary")
            }
            table[Pair(left: leftID, right: rightID)] = (rank, id)
        }
        self.merges = table
    }

    /// Builds the model from the `model` object of a tokenizer.json.
    init(config: ConfigObject) throws {
        let vocab = try config.object("vocab").vocabulary()
        let merges = try config.array("merges").enumerated().map { index, entry -> (String, String) in
            if case .array(let pair) = entry, pair.count == 2, case .string(let left) = pair[0],
               case .string(let right) = pair[1] {
                return (left, right)
            }
            if case .string(let line) = entry, let pair = BPEModel.mergePair(line.unicodeScalars) { return pair }
            throw TokenizerError.Fault.missingField("model.merges[\(index)]")
        }
        try self.init(vocab: vocab, merges: merges,
                      unknownToken: try config.optionalString("unk_token"),
                      fuseUnknown: try config.bool("fuse_unk", default: false),
                      byteFallback: try config.bool("byte_fallback", default: false),
                      ignoreMerges: try config.bool("ignore_merges", default: false),
                      continuingPrefix: try config.optionalString("continuing_subword_prefix"),
                      endOfWordSuffix: try config.optionalString("end_of_word_suffix"))
    }

    /// The two tokens of an `a b` merge line; nil unless it holds exactly one space.
    static func mergePair<Line: Collection<Unicode.Scalar>>(_ line: Line) -> (String, String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (Array(parts[0]).string, Array(parts[1]).string)
    }

    /// `<0xNN>`, the SentencePiece token of one byte.
    static func byteToken(_ byte: Int) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x\(hex.count == 1 ? "0" + hex : hex)>"
    }

    /// The ids of one word.
    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        if ignoreMerges, let id = vocab[TokenKey(word)] { return [id] }
        var symbols = initialSymbols(word)
        guard symbols.count > 1 else { return symbols }
        merge(&symbols)
        return symbols
    }

    /// One id per character, with byte fallback or (fused) unknowns for characters outside the vocabulary.
    private func initialSymbols(_ word: [Unicode.Scalar]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(word.count)
        var pendingUnknown = false
        for (index, scalar) in word.enumerated() {
            var piece = String(Character(scalar))
            if index > 0, let continuingPrefix { piece = continuingPrefix + piece }
            if index == word.count - 1, let endOfWordSuffix { piece += endOfWordSuffix }
            if let id = vocab[TokenKey(piece)] {
                if pendingUnknown, let unknownID { ids.append(unknownID) }
                pendingUnknown = false
                ids.append(id)
                continue
            }
            // Like the reference, a byte-fallback character does not flush a pending unknown.
            if let byteIDs {
                let bytes = piece.utf8.compactMap { byteIDs[Int($0)] }
                if bytes.count == piece.utf8.count {
                    ids.append(contentsOf: bytes)
                    continue
                }
            }
            guard let unknownID else { continue }
            if pendingUnknown, !fuseUnknown { ids.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
        return ids
    }

    /// Applies merges lowest rank first (leftmost on ties) until none applies, as `word.rs` does.
    private func merge(_ ids: inout [Int]) {
        var symbols = ids
        var previous = Array(-1..<(ids.count - 1))
        var next = Array(1...ids.count)
        next[ids.count - 1] = -1
        var alive = [Bool](repeating: true, count: ids.count)
        var queue = MergeQueue()
        func candidate(at position: Int, _ right: Int) -> MergeQueue.Candidate? {
            guard let merge = merges[Pair(left: symbols[position], right: symbols[right])] else { return nil }
            return MergeQueue.Candidate(rank: merge.rank, position: position, newID: merge.id)
        }
        for position in 0..<(ids.count - 1) {
            if let found = candidate(at: position, position + 1) { queue.push(found) }
        }
        while let top = queue.pop() {
            let position = top.position
            guard alive[position], next[position] >= 0 else { continue }
            let right = next[position]
            guard let current = candidate(at: position, right), current.newID == top.newID else { continue }
            symbols[position] = top.newID
            alive[right] = false
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }
            if previous[position] >= 0, let found = candidate(at: previous[position], position) { queue.push(found) }
            if next[position] >= 0, let found = candidate(at: position, next[position]) { queue.push(found) }
        }
        ids = symbols.indices.filter { alive[$0] }.map { symbols[$0] }
    }
}
