import Testing
@testable import Engine
import QuantCore

/// The recipe's `qdec:` section: read, defaults, faults with line and reason, written back.
@Suite struct CompensationRecipeTests {
    @Test func readsTheSectionAndItsDefaults() throws {
        let r = try RecipeParser.parse("method: {name: gptq, bits: 3}\nqdec: {k_chunk: [0, 8, 32], selection: [bucket, topk-chunk], positions: 512}\n")
        #expect(r.compensation == CompensationSettings(kChunks: [0, 8, 32], selections: [.bucket, .topKChunk], positions: 512))
        let defaults = try RecipeParser.parse("method: {name: gptq, bits: 3}\nqdec:\n  selection: static\n")
        #expect(defaults.compensation == CompensationSettings(kChunks: [0, 4, 8, 16, 32, 64], selections: [.staticList], positions: 2048))
        #expect(try RecipeParser.parse("method: {name: rtn, bits: 3}\n").compensation == nil)
    }

    @Test(arguments: [
        ("method: {name: rtn, bits: 3}\nqdec: {k_chunks: [4]}\n", 2, "unknown key 'k_chunks' in qdec"),
        ("method: {name: rtn, bits: 3}\nqdec:\n  k_chunk: [4, 2000]\n", 3, "qdec.k_chunk '2000' is not a whole number in 0…1024"),
        ("method: {name: rtn, bits: 3}\nqdec:\n  positions: 10\n  selection: [bucket, nearest]\n", 4, "qdec.selection 'nearest' is not one of bucket"),
        ("method: {name: rtn, bits: 3}\nqdec: {positions: 0}\n", 2, "qdec.positions: 0 is outside"),
        ("method: {name: rtn, bits: 3}\nqdec: [4, 8]\n", 2, "qdec must be a mapping"),
    ])
    func rejectsBadSections(_ text: String, _ line: Int, _ reason: String) {
        expectRecipeError(text, line: line, reason: reason)
    }

    @Test func theWrittenRecipeReadsBackEqual() throws {
        let r = try RecipeParser.parse("method: {name: gptq, bits: 3}\nqdec: {k_chunk: 4, selection: [random, topk], positions: 100}\n")
        var again = try RecipeParser.parse(r.yaml())
        again.text = r.text
        #expect(again == r && again.compensation?.kChunks == [4], "\(r.yaml())")
    }
}
