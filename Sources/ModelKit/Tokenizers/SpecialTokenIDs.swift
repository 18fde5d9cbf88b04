import Foundation

/// The ids of a tokenizer's role-bearing special tokens, where it has them.
public struct SpecialTokenIDs: Sendable, Equatable {
    /// Beginning of sequence (`<s>`, `<|begin_of_text|>`, OPT's `</s>`, GPT-2's `<|endoftext|>`).
    public var bos: Int?
    /// End of sequence.
    public var eos: Int?
    /// Padding.
    public var pad: Int?
    /// Unknown token.
    public var unk: Int?
    /// BERT's `[CLS]`.
    public var cls: Int?
    /// BERT's `[SEP]`.
    public var sep: Int?

    /// Creates a set of ids.
    public init(bos: Int? = nil, eos: Int? = nil, pad: Int? = nil, unk: Int? = nil, cls: Int? = nil, sep: Int? = nil) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unk = unk
        self.cls = cls
        self.sep = sep
    }

    /// Resolves each role: from `tokenizer_config.json` when it names the role, else from the post-processor
    /// template and the model's `unk_token`, else from the conventional token names.
    static func resolve(idOf: (String) -> Int?, unknownID: Int?, template: PostProcessor?,
                        config: ConfigObject?) -> SpecialTokenIDs {
        func configured(_ key: String) -> Int? {
            switch config?.value(key) {
            case .string(let name)?: return idOf(name)
            case .object(let entry)?: return (try? ConfigObject(entry, path: key).string("content")).flatMap(idOf)
            default: return nil
            }
        }
        func named(_ names: [String]) -> Int? { names.lazy.compactMap(idOf).first }

        var ids = SpecialTokenIDs()
        ids.cls = configured("cls_token") ?? named(["[CLS]"])
        ids.sep = configured("sep_token") ?? named(["[SEP]"])
        ids.pad = configured("pad_token") ?? named(["<pad>", "[PAD]", "<|pad|>"])
        ids.unk = configured("unk_token") ?? unknownID ?? named(["<unk>", "[UNK]"])
        let surrounding = template?.surroundingIDs ?? (leading: [], trailing: [])
        let leading = surrounding.leading.count == 1 && surrounding.leading[0] != ids.cls ? surrounding.leading.first : nil
        let trailing = surrounding.trailing.count == 1 && surrounding.trailing[0] != ids.sep ? surrounding.trailing.first : nil
        ids.bos = configured("bos_token") ?? leading ?? named(["<s>", "<|begin_of_text|>", "<|endoftext|>"])
        ids.eos = configured("eos_token") ?? trailing ?? named(["</s>", "<|end_of_text|>", "<|endoftext|>"])
        return ids
    }
}
