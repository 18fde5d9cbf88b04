import Foundation
import Testing
@testable import ModelKit

@Suite("Tokenizer API")
struct TokenizerAPITests {
    static func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer(contentsOf: TokenizerGolden.fixture("\(name)/tokenizer.json"))
    }

    static let mixedText = String(repeating: "naïve café — 東京 🙂 x86_64 can't\n\tend  ", count: 400)

    @Test("byte-level and byte-fallback tokenizers round-trip long mixed text", arguments: ["gpt2-bpe", "llama3-bpe", "llama2-sp"])
    func roundTrip(name: String) throws {
        let tokenizer = try Self.tokenizer(name)
        let ids = tokenizer.encode(Self.mixedText)
        #expect(ids.count > 1000)
        #expect(tokenizer.decode(ids) == Self.mixedText)
    }

    @Test("token and id lookups, special tokens in decode, unknown ids")
    func lookups() throws {
        let tokenizer = try Self.tokenizer("gpt2-bpe")
        let end = try #require(tokenizer.id(of: "<|endoftext|>"))
        #expect(tokenizer.token(of: end) == "<|endoftext|>")
        #expect(tokenizer.specialTokens.eos == end)
        let ids = tokenizer.encode("a<|endoftext|>b")
        #expect(ids.contains(end))
        #expect(tokenizer.decode(ids) == "ab")
        #expect(tokenizer.decode(ids, skipSpecialTokens: false) == "a<|endoftext|>b")
        #expect(tokenizer.decode([Int.max, -1] + ids) == "ab")
        #expect(tokenizer.id(of: "no such token") == nil)
    }

    @Test("truncation keeps room for the special tokens")
    func truncation() throws {
        let tokenizer = try Self.tokenizer("llama2-sp")
        let text = "one two three four five six seven"
        let full = tokenizer.encode(text)
        #expect(tokenizer.encode(text, maxLength: 4) == Array(full.prefix(4)))
        #expect(tokenizer.encode(text, addSpecialTokens: false, maxLength: 4) == Array(full.dropFirst().prefix(4)))
        #expect(tokenizer.encode(text, maxLength: 0) == [1])
        #expect(tokenizer.encode(text, addSpecialTokens: false, maxLength: -3) == [])
    }

    @Test("canonically equivalent tokens stay distinct and match only their exact scalars")
    func exactTokens() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tokenizer.json")
        let json = #"{"pre_tokenizer":{"type":"WhitespaceSplit"},"model":{"type":"WordLevel","unk_token":"[UNK]","#
            + #""vocab":{"[UNK]":0,"\u00c5":1,"\u212b":2,"\u00e9":3}}}"#
        try Data(json.utf8).write(to: url)
        let tokenizer = try Tokenizer(contentsOf: url)
        #expect(tokenizer.vocabularySize == 4)
        #expect(tokenizer.encode("\u{C5} \u{212B} \u{E9} e\u{301}") == [1, 2, 3, 0])
        #expect(tokenizer.id(of: "\u{212B}") == 2)
    }
}
