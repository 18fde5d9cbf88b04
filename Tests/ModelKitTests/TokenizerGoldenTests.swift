import Foundation
import Testing
@testable import ModelKit

@Suite("Tokenizer golden encodings")
struct TokenizerGoldenTests {
    @Test("trained tokenizer.json matches the reference", arguments: TokenizerGolden.trainedNames)
    func trained(name: String) throws {
        let golden = try TokenizerGolden.load()
        let entry = try #require(golden.tokenizers[name])
        let tokenizer = try Tokenizer(contentsOf: TokenizerGolden.fixture("\(name)/tokenizer.json"))
        #expect(entry.cases.count >= 40)
        checkGolden(tokenizer, entry, name: name, truncation: golden.truncation)
        checkRoles(tokenizer, entry, name: name)
    }

    @Test("OPT-style vocab.json + merges.txt matches the reference")
    func vocabularyAndMerges() throws {
        let golden = try TokenizerGolden.load()
        let entry = try #require(golden.tokenizers["opt-bpe"])
        let tokenizer = try Tokenizer(vocabularyFile: TokenizerGolden.fixture("opt-bpe/vocab.json"),
                                      mergesFile: TokenizerGolden.fixture("opt-bpe/merges.txt"),
                                      bosToken: "</s>")
        checkGolden(tokenizer, entry, name: "opt-bpe (vocab.json + merges.txt)", truncation: golden.truncation)
        checkRoles(tokenizer, entry, name: "opt-bpe (vocab.json + merges.txt)")
    }

    @Test("all-MiniLM-L6-v2 tokenizer.json matches the reference",
          .enabled(if: TokenizerGolden.demoTokenizerPresent,
                   "the demo model is not installed (run scripts/fetch-demo-model.sh)"))
    func demoModel() throws {
        let golden = try TokenizerGolden.load()
        let entry = try #require(golden.tokenizers[TokenizerGolden.demoName])
        let tokenizer = try Tokenizer(contentsOf: TokenizerGolden.demoTokenizerURL)
        #expect(tokenizer.encode("Hello, world! Quantization is fun.")
            == [101, 7592, 1010, 2088, 999, 24110, 3775, 9276, 2003, 4569, 1012, 102])
        checkGolden(tokenizer, entry, name: TokenizerGolden.demoName, truncation: golden.truncation)
        checkRoles(tokenizer, entry, name: TokenizerGolden.demoName)
    }
}
