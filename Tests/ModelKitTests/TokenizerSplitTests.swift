import Foundation
import Testing
@testable import ModelKit

/// The pre-tokenization regexes of GPT-2, Llama-3 and Qwen2 against the reference's splits, both through the
/// hand-written scanners and through ICU.
@Suite("Tokenizer split patterns")
struct TokenizerSplitTests {
    struct Splits: Decodable {
        struct Entry: Decodable {
            let pattern: String
            let pieces: [[String]]
        }

        let splits: [String: Entry]
    }

    static func load() throws -> (strings: [String], splits: [String: Splits.Entry]) {
        let strings = try JSONDecoder().decode([String].self, from: Data(contentsOf: TokenizerGolden.fixture("strings.json")))
        let splits = try JSONDecoder().decode(Splits.self, from: Data(contentsOf: TokenizerGolden.fixture("expected.json")))
        return (strings, splits.splits)
    }

    static func pieces(_ text: String, _ regex: RegexPattern) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return SplitBehavior.isolated.split(scalars, matches: regex.matches(in: scalars)).map(\.string)
    }

    @Test("the hand-written scanner splits like the reference", arguments: ["gpt2", "llama3", "qwen2"])
    func scanner(name: String) throws {
        let (strings, splits) = try Self.load()
        let entry = try #require(splits[name])
        #expect(SplitScanner(pattern: entry.pattern) != nil, "\(name): the scanner does not recognize the pattern")
        let regex = try RegexPattern(entry.pattern, component: "test")
        for (text, expected) in zip(strings, entry.pieces) {
            let actual = Self.pieces(text, regex)
            #expect(actual == expected, "\(name) \(text.debugDescription): expected \(expected), got \(actual)")
        }
    }

    @Test("ICU splits like the reference", arguments: ["gpt2", "llama3", "qwen2"])
    func icu(name: String) throws {
        let (strings, splits) = try Self.load()
        let entry = try #require(splits[name])
        let regex = try RegexPattern(icu: entry.pattern)
        for (text, expected) in zip(strings, entry.pieces) {
            let actual = Self.pieces(text, regex)
            #expect(actual == expected, "\(name) \(text.debugDescription): expected \(expected), got \(actual)")
        }
    }

    @Test("Oniguruma's \\w is spelled out for ICU, inside and outside brackets")
    func dialect() throws {
        let word = #"\p{Alphabetic}\p{M}\p{N}\p{Pc}"#
        #expect(RegexDialect.icuPattern(fromOniguruma: #"[^\w']+|\w+|\W|\\w|\p{L}"#)
            == #"[^\#(word)']+|[\#(word)]+|[^\#(word)]|\\w|\p{L}"#)
        let regex = try RegexPattern(#"\w+"#, component: "test")
        // ZWJ is not a word character for the reference; ½ is.
        #expect(Self.pieces("a\u{200D}b ½", regex) == ["a", "\u{200D}", "b", " ", "½"])
    }

    @Test("byte-level alphabet maps bytes as GPT-2's bytes_to_unicode")
    func byteLevelAlphabet() {
        #expect(ByteLevelAlphabet.characters[0x20] == "\u{120}")  // Ġ
        #expect(ByteLevelAlphabet.characters[0x0A] == "\u{10A}")  // Ċ
        #expect(ByteLevelAlphabet.characters[0x41] == "A")
        #expect(ByteLevelAlphabet.characters[0xAD] == "\u{143}")
        #expect(Set(ByteLevelAlphabet.characters).count == 256)
        #expect(ByteLevelAlphabet.encode(Array("é €".unicodeScalars)).string == "Ã©ĠâĤ¬")
    }
}
