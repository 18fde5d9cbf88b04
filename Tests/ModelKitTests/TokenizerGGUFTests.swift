import Foundation
import Testing
@testable import ModelKit

/// The reference encodings in `Fixtures/gguf-tokenizers/expected.json`, written by
/// `scripts/make-gguf-tokenizer-fixtures.py` with transformers' tokenizer loaded from each GGUF file.
struct GGUFTokenizerGolden: Decodable {
    struct Case: Decodable {
        let ids: [Int]
        let ids_plain: [Int]
        let decoded: String
        let decoded_all: String
    }

    struct Entry: Decodable {
        /// The fixture file, or nil for the demo LM in the model cache.
        let file: String?
        let vocab_size: Int
        let special_ids: [String: Int?]
        let cases: [Case]
    }

    /// A fixture file read with some metadata replaced; `ids` are with special tokens, one list per string.
    struct Variant: Decodable {
        let base: String
        let overrides: [String: Override]
        let ids: [[Int]]
    }

    /// A replaced metadata value.
    enum Override: Decodable {
        case bool(Bool)
        case string(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        var value: GGUFValue {
            switch self {
            case .bool(let flag): .bool(flag)
            case .string(let text): .string(text)
            }
        }
    }

    /// One split regex transformers picks by `tokenizer.ggml.pre`, the names that pick it, and the pieces it
    /// cuts each string into.
    struct Split: Decodable {
        let pattern: String
        let names: [String]
        let pieces: [[String]]
    }

    let strings: [String]
    let tokenizers: [String: Entry]
    let variants: [Variant]
    let splits: [Split]

    /// The vocabulary-only GGUF files committed under `Fixtures/gguf-tokenizers/`.
    static let fixtureNames = ["botchan-bpe", "botchan-unigram", "botchan-bytes", "gpt2-bpe"]
    /// The demo causal LM, read from the model cache.
    static let demoName = KnownModel.smolLM2.folder

    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/gguf-tokenizers/\(name)", withExtension: nil),
                     "missing fixture Fixtures/gguf-tokenizers/\(name)")
    }

    static func load() throws -> GGUFTokenizerGolden {
        try JSONDecoder().decode(GGUFTokenizerGolden.self, from: Data(contentsOf: fixture("expected.json")))
    }

    /// The demo LM's GGUF, where `scripts/fetch-demo-lm.sh` puts it.
    static var demoURL: URL {
        KnownModel.smolLM2.directory.appendingPathComponent("\(KnownModel.smolLM2.folder).Q4_1.gguf")
    }

    static var demoPresent: Bool { FileManager.default.fileExists(atPath: demoURL.path) }
}

/// Compares every string of the fixture with its reference case; one expectation per string and mode.
private func checkCases(_ tokenizer: Tokenizer, _ entry: GGUFTokenizerGolden.Entry, strings: [String], name: String) {
    #expect(entry.cases.count == strings.count, "\(name): one case per string")
    for (text, item) in zip(strings, entry.cases) {
        let label = "\(name) \(text.debugDescription)"
        let ids = tokenizer.encode(text)
        #expect(ids == item.ids, "\(label) with special tokens: \(mismatch(ids, item.ids))")
        let plain = tokenizer.encode(text, addSpecialTokens: false)
        #expect(plain == item.ids_plain, "\(label) without special tokens: \(mismatch(plain, item.ids_plain))")
        let decoded = tokenizer.decode(item.ids)
        #expect(decoded == item.decoded, "\(label) decode: expected \(item.decoded.debugDescription), got \(decoded.debugDescription)")
        let all = tokenizer.decode(item.ids, skipSpecialTokens: false)
        #expect(all == item.decoded_all,
                "\(label) decode with special tokens: expected \(item.decoded_all.debugDescription), got \(all.debugDescription)")
    }
    #expect(tokenizer.vocabularySize == entry.vocab_size, "\(name) vocabulary size")
    let roles: [String: Int?] = [
        "bos": tokenizer.specialTokens.bos, "eos": tokenizer.specialTokens.eos,
        "unk": tokenizer.specialTokens.unk, "pad": tokenizer.specialTokens.pad,
    ]
    for (role, id) in entry.special_ids {
        #expect(roles[role] == id, "\(name) \(role) id: expected \(String(describing: id)), got \(String(describing: roles[role] ?? nil))")
    }
}

/// A metadata dictionary with `tokenizer.ggml.model` and the tokens of a tiny byte-level vocabulary.
private func tinyMetadata(model: String = "gpt2") -> [String: GGUFValue] {
    [
        "general.architecture": .string("llama"),
        "tokenizer.ggml.model": .string(model),
        "tokenizer.ggml.tokens": .array(.string, ["a", "b", "ab"].map(GGUFValue.string)),
        "tokenizer.ggml.merges": .array(.string, [.string("a b")]),
    ]
}

@Suite("Tokenizer from GGUF metadata")
struct TokenizerGGUFTests {
    @Test("the fixture lists exactly the committed files and the demo LM")
    func fixtureEntries() throws {
        let golden = try GGUFTokenizerGolden.load()
        #expect(Set(golden.tokenizers.keys) == Set(GGUFTokenizerGolden.fixtureNames + [GGUFTokenizerGolden.demoName]))
        #expect(golden.strings.count >= 50)
        #expect(golden.strings.contains { $0.contains("<|im_start|>") })
    }

    @Test("fixture GGUF matches transformers", arguments: GGUFTokenizerGolden.fixtureNames)
    func fixtureFile(name: String) throws {
        let golden = try GGUFTokenizerGolden.load()
        let entry = try #require(golden.tokenizers[name])
        #expect(entry.file == "\(name).gguf")
        let tokenizer = try Tokenizer(gguf: GGUFFile(url: GGUFTokenizerGolden.fixture("\(name).gguf")))
        checkCases(tokenizer, entry, strings: golden.strings, name: name)
    }

    /// An export of a GGUF model writes these files: read back as any Hugging Face folder's, they encode and decode
    /// as transformers reads the GGUF.
    @Test("the tokenizer.json and tokenizer_config.json written for a fixture GGUF match transformers", arguments: GGUFTokenizerGolden.fixtureNames)
    func huggingFaceFiles(name: String) throws {
        let golden = try GGUFTokenizerGolden.load()
        let entry = try #require(golden.tokenizers[name])
        let file = try GGUFFile(url: GGUFTokenizerGolden.fixture("\(name).gguf"))
        let (tokenizer, config) = try Tokenizer.huggingFaceFiles(ggufMetadata: file.metadata, file: file.url.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.write(to: folder.appendingPathComponent("tokenizer.json"))
        try config.write(to: folder.appendingPathComponent("tokenizer_config.json"))
        checkCases(try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json")), entry, strings: golden.strings, name: name + " (written)")
    }

    @Test("fixture GGUF with other pre-tokenizers and BOS/EOS flags matches transformers")
    func variants() throws {
        let golden = try GGUFTokenizerGolden.load()
        #expect(golden.variants.count >= 3)
        for variant in golden.variants {
            let file = try GGUFFile(url: GGUFTokenizerGolden.fixture("\(variant.base).gguf"))
            var metadata = file.metadata
            for (key, value) in variant.overrides {
                #expect(metadata[key] != value.value, "\(variant.base): \(key) is already \(value.value)")
                metadata[key] = value.value
            }
            let tokenizer = try Tokenizer(ggufMetadata: metadata, file: file.url.path)
            let name = "\(variant.base) \(variant.overrides.map { "\($0.key)=\($0.value.value.summary)" }.sorted())"
            #expect(variant.ids.count == golden.strings.count, "\(name): one id list per string")
            for (text, expected) in zip(golden.strings, variant.ids) {
                let ids = tokenizer.encode(text)
                #expect(ids == expected, "\(name) \(text.debugDescription): \(mismatch(ids, expected))")
            }
        }
    }

    @Test("every tokenizer.ggml.pre transformers knows has its split regex, which cuts text as the reference does")
    func splitRegexes() throws {
        let golden = try GGUFTokenizerGolden.load()
        var table: [String: String] = [:]
        for split in golden.splits {
            for name in split.names { table[name] = split.pattern }
        }
        #expect(GGUFTokenizerMetadata.splitPatterns == table)
        #expect(table["smollm"] == nil)
        for split in golden.splits {
            let regex = try RegexPattern(split.pattern, component: "test")
            #expect(split.pieces.count == golden.strings.count, "\(split.names[0]): one piece list per string")
            for (text, expected) in zip(golden.strings, split.pieces) {
                let actual = TokenizerSplitTests.pieces(text, regex)
                #expect(actual == expected, "\(split.names[0]) \(text.debugDescription): expected \(expected), got \(actual)")
            }
        }
    }

    @Test("SmolLM2-135M-Instruct GGUF matches transformers and round-trips",
          .enabled(if: GGUFTokenizerGolden.demoPresent,
                   "the demo LM is not installed (run scripts/fetch-demo-lm.sh)"))
    func demoLM() throws {
        let golden = try GGUFTokenizerGolden.load()
        let entry = try #require(golden.tokenizers[GGUFTokenizerGolden.demoName])
        let tokenizer = try Tokenizer(gguf: GGUFFile(url: GGUFTokenizerGolden.demoURL))
        #expect(tokenizer.encode("<|im_start|>user\nhi<|im_end|>") == [1, 4093, 198, 6004, 2])
        #expect(tokenizer.specialTokens == SpecialTokenIDs(bos: 1, eos: 2, pad: 2, unk: 0))
        checkCases(tokenizer, entry, strings: golden.strings, name: GGUFTokenizerGolden.demoName)
        for text in golden.strings {
            let decoded = tokenizer.decode(tokenizer.encode(text), skipSpecialTokens: false)
            #expect(decoded == text, "round trip of \(text.debugDescription) gave \(decoded.debugDescription)")
        }
    }

    @Test("a tokenizer model other than gpt2 and llama is refused, naming the file and the model")
    func unsupportedModel() throws {
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(ggufMetadata: tinyMetadata(model: "t5"), file: "/models/x/flan.gguf")
        }
        #expect(error == TokenizerError(file: "/models/x/flan.gguf",
                                        fault: .unsupported(component: "tokenizer.ggml.model", type: "t5")))
        #expect(error.description == "flan.gguf: unsupported tokenizer.ggml.model type `t5`")
    }

    @Test("a llama vocabulary of an architecture transformers rebuilds differently is refused")
    func respelledArchitecture() throws {
        var metadata = tinyMetadata(model: "llama")
        metadata["general.architecture"] = .string("gemma2")
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(ggufMetadata: metadata, file: "g.gguf")
        }
        #expect(error.fault == .unsupported(component: "tokenizer.ggml.model", type: "llama (general.architecture gemma2)"))
    }

    @Test("missing or malformed tokenizer metadata is reported by key")
    func malformedMetadata() throws {
        var noTokens = tinyMetadata()
        noTokens["tokenizer.ggml.tokens"] = nil
        #expect(throws: TokenizerError(file: "t.gguf", fault: .missingField("tokenizer.ggml.tokens"))) {
            try Tokenizer(ggufMetadata: noTokens, file: "t.gguf")
        }
        var noModel = tinyMetadata()
        noModel["tokenizer.ggml.model"] = nil
        #expect(throws: TokenizerError(file: "t.gguf", fault: .missingField("tokenizer.ggml.model"))) {
            try Tokenizer(ggufMetadata: noModel, file: "t.gguf")
        }
        var badMerge = tinyMetadata()
        badMerge["tokenizer.ggml.merges"] = .array(.string, [.string("a b c")])
        #expect(throws: TokenizerError(file: "t.gguf", fault: .malformed(reason: "tokenizer.ggml.merges[0] is not a pair"))) {
            try Tokenizer(ggufMetadata: badMerge, file: "t.gguf")
        }
        var noScores = tinyMetadata(model: "llama")
        noScores["tokenizer.ggml.merges"] = nil
        #expect(throws: TokenizerError(file: "t.gguf", fault: .missingField("tokenizer.ggml.scores"))) {
            try Tokenizer(ggufMetadata: noScores, file: "t.gguf")
        }
        var badBOS = tinyMetadata()
        badBOS["tokenizer.ggml.bos_token_id"] = .uint32(3)
        #expect(throws: TokenizerError(file: "t.gguf", fault: .invalid(component: "tokenizer.ggml.bos_token_id",
                                                                       reason: "3 is not a token id (there are 3)"))) {
            try Tokenizer(ggufMetadata: badBOS, file: "t.gguf")
        }
    }

    @Test("merges derived from scores rank by score, then the longer left and right parts")
    func mergesFromScores() {
        let tokens = ["a", "b", "c", "ab", "bc", "abc", "ca"]
        let scores: [Double] = [0, 0, 0, -1, -1, -0.5, -3]
        let merges = GGUFTokenizerMetadata.mergesFromScores(tokens: tokens, scores: scores)
        #expect(merges.map { "\($0.0) \($0.1)" } == ["ab c", "a bc", "a b", "b c", "c a"])
    }
}
