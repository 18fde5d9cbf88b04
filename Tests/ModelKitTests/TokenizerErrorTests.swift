import Foundation
import Testing
@testable import ModelKit

/// Bad or unsupported tokenizer files fail to load with a typed error that names the file and the component.
@Suite("Tokenizer errors")
struct TokenizerErrorTests {
    /// Writes `json` to a fresh temporary tokenizer.json and tries to load it.
    static func load(_ json: String) throws -> Tokenizer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tokenizer.json")
        try Data(json.utf8).write(to: url)
        return try Tokenizer(contentsOf: url)
    }

    static func fault(_ json: String) -> TokenizerError.Fault? {
        do {
            _ = try load(json)
            return nil
        } catch let error as TokenizerError {
            #expect(error.file.hasSuffix("tokenizer.json"))
            return error.fault
        } catch {
            return nil
        }
    }

    static let wordPiece = #"{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"a":1}}"#

    @Test("unsupported components are named", arguments: [
        (#"{"model":{"type":"Unigram","vocab":[]}}"#, "model", "Unigram"),
        (#"{"model":\#(wordPiece),"normalizer":{"type":"Precompiled"}}"#, "normalizer", "Precompiled"),
        (#"{"model":\#(wordPiece),"pre_tokenizer":{"type":"CharDelimiterSplit","delimiter":"x"}}"#, "pre_tokenizer", "CharDelimiterSplit"),
        (#"{"model":\#(wordPiece),"post_processor":{"type":"Custom"}}"#, "post_processor", "Custom"),
        (#"{"model":\#(wordPiece),"decoder":{"type":"CTC"}}"#, "decoder", "CTC"),
    ])
    func unsupported(json: String, component: String, type: String) {
        #expect(Self.fault(json) == .unsupported(component: component, type: type))
    }

    @Test("malformed and inconsistent files")
    func malformed() {
        #expect(Self.fault("{\"model\": ") == .malformed(reason: "not valid JSON (unexpected end of text at byte 10)"))
        #expect(Self.fault("[1, 2]") == .malformed(reason: "the top level is not a JSON object"))
        #expect(Self.fault("{}") == .missingField("model"))
        #expect(Self.fault(#"{"model":{"type":"WordPiece","vocab":{"a":"zero"}}}"#) == .missingField("model.vocab.a"))
        #expect(Self.fault(#"{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"a":0}}}"#)
            == .invalid(component: "model", reason: "unk_token [UNK] is not in the vocabulary"))
        #expect(Self.fault(#"{"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}}"#)
            == .invalid(component: "model", reason: "merge 0 (a b) uses a token missing from the vocabulary"))
        #expect(Self.fault(#"{"model":\#(Self.wordPiece),"pre_tokenizer":{"type":"Split","pattern":{"Regex":"(a"},"behavior":"Isolated"}}"#)
            == .invalid(component: "pre_tokenizer", reason: "bad regex (a"))
    }

    @Test("a missing file is unreadable, named by path")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        #expect {
            try Tokenizer(contentsOf: url)
        } throws: { error in
            guard let error = error as? TokenizerError, case .unreadable = error.fault else { return false }
            return error.file == url.path && error.description.hasPrefix("tokenizer.json: cannot read")
        }
    }

    @Test("a merges.txt line that is not a pair")
    func badMerges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("merges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"a":0,"b":1,"ab":2}"#.utf8).write(to: folder.appendingPathComponent("vocab.json"))
        try Data("#version: 0.2\na b\nab\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        #expect(throws: TokenizerError(file: folder.appendingPathComponent("merges.txt").path,
                                       fault: .malformed(reason: "line 3 is not a pair"))) {
            try Tokenizer(vocabularyFile: folder.appendingPathComponent("vocab.json"),
                          mergesFile: folder.appendingPathComponent("merges.txt"))
        }
    }
}
