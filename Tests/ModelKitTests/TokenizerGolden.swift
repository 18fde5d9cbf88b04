import Foundation
import Testing
@testable import ModelKit

/// The reference encodings in `Fixtures/tokenizers/expected.json`, written by
/// `scripts/make-tokenizer-fixtures.py` with the Hugging Face `tokenizers` library.
struct TokenizerGolden: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let ids_plain: [Int]
        let ids_truncated: [Int]
        let decoded: String
    }

    struct Entry: Decodable {
        let vocab_size: Int
        let special_ids: [String: Int]
        let cases: [Case]
    }

    let truncation: Int
    let tokenizers: [String: Entry]

    /// The trained tokenizers committed under `Fixtures/tokenizers/NAME/`.
    static let trainedNames = [
        "gpt2-bpe", "llama3-bpe", "opt-bpe", "llama2-sp", "metaspace-bpe", "bert-wp", "misc-wp", "word-level",
    ]
    /// The demo model's real tokenizer, loaded from the demo model folder.
    static let demoName = "all-MiniLM-L6-v2"

    static func fixture(_ path: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/tokenizers/\(path)", withExtension: nil),
                     "missing fixture Fixtures/tokenizers/\(path)")
    }

    static func load() throws -> TokenizerGolden {
        try JSONDecoder().decode(TokenizerGolden.self, from: Data(contentsOf: fixture("expected.json")))
    }

    static func entry(_ name: String) throws -> Entry {
        try #require(load().tokenizers[name], "expected.json has no entry \(name)")
    }

    /// `tokenizer.json` of the demo model, where `scripts/fetch-demo-model.sh` puts it.
    static var demoTokenizerURL: URL { KnownModel.miniLM.directory.appendingPathComponent("tokenizer.json") }

    static var demoTokenizerPresent: Bool { FileManager.default.fileExists(atPath: demoTokenizerURL.path) }
}

/// A readable account of where two id lists part.
func mismatch(_ actual: [Int], _ expected: [Int]) -> String {
    let common = zip(actual, expected).prefix { $0 == $1 }.count
    return "first difference at index \(common): expected \(expected.dropFirst(common).prefix(8)), "
        + "got \(actual.dropFirst(common).prefix(8)) (lengths \(expected.count) / \(actual.count))\n"
        + "  expected \(expected)\n  actual   \(actual)"
}

/// Compares every golden case of `entry` with `tokenizer`; one expectation per string and mode.
func checkGolden(_ tokenizer: Tokenizer, _ entry: TokenizerGolden.Entry, name: String, truncation: Int) {
    for item in entry.cases {
        let label = "\(name) \(item.text.debugDescription)"
        let ids = tokenizer.encode(item.text)
        #expect(ids == item.ids, "\(label) with special tokens: \(mismatch(ids, item.ids))")
        let plain = tokenizer.encode(item.text, addSpecialTokens: false)
        #expect(plain == item.ids_plain, "\(label) without special tokens: \(mismatch(plain, item.ids_plain))")
        let truncated = tokenizer.encode(item.text, maxLength: truncation)
        #expect(truncated == item.ids_truncated, "\(label) truncated to \(truncation): \(mismatch(truncated, item.ids_truncated))")
        let decoded = tokenizer.decode(item.ids)
        #expect(decoded == item.decoded, "\(label) decode: expected \(item.decoded.debugDescription), got \(decoded.debugDescription)")
    }
}

/// Compares the vocabulary size and the special-token roles the reference knows.
func checkRoles(_ tokenizer: Tokenizer, _ entry: TokenizerGolden.Entry, name: String) {
    #expect(tokenizer.vocabularySize == entry.vocab_size, "\(name) vocabulary size")
    let roles: [String: Int?] = [
        "bos": tokenizer.specialTokens.bos, "eos": tokenizer.specialTokens.eos, "pad": tokenizer.specialTokens.pad,
        "unk": tokenizer.specialTokens.unk, "cls": tokenizer.specialTokens.cls, "sep": tokenizer.specialTokens.sep,
    ]
    for (role, id) in entry.special_ids {
        #expect(roles[role] == id, "\(name) \(role) id: expected \(id), got \(String(describing: roles[role] ?? nil))")
    }
}
