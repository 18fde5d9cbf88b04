import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// True when the demo model has been fetched (`scripts/fetch-demo-model.sh`).
private let miniLMTokenizerPresent = FileManager.default.fileExists(
    atPath: KnownModel.miniLM.directory.appendingPathComponent("tokenizer.json").path)

@Suite("Calibration sampler")
struct CalibrationSamplerTests {
    let tokens = Array(1000..<1100)

    /// The start of `window` in `tokens`, when it is a contiguous run of them.
    private func start(of window: [Int]) -> Int? {
        guard let first = window.first, let s = tokens.firstIndex(of: first), s + window.count <= tokens.count else { return nil }
        return Array(tokens[s..<s + window.count]) == window ? s : nil
    }

    @Test func randomWindowsAreSeededContiguousRuns() throws {
        let sampler = CalibrationSampler(tokens: tokens)
        let windows = try sampler.randomWindows(count: 12, length: 16, seed: 5)
        #expect(windows.count == 12 && windows.allSatisfy { $0.count == 16 && start(of: $0) != nil })
        #expect(windows == (try sampler.randomWindows(count: 12, length: 16, seed: 5)))
        #expect(windows != (try sampler.randomWindows(count: 12, length: 16, seed: 6)))
        #expect(Set(windows.compactMap(start(of:))).count > 6)
        let whole = try sampler.randomWindows(count: 3, length: 100, seed: 0)
        #expect(whole == Array(repeating: tokens, count: 3))
    }

    @Test func encoderWindowsKeepTheirLengthWithClsAndSep() throws {
        let sampler = CalibrationSampler(tokens: tokens, framing: .clsSep(cls: 101, sep: 102))
        for window in try sampler.randomWindows(count: 5, length: 10, seed: 0) {
            #expect(window.count == 10 && window.first == 101 && window.last == 102)
            #expect(start(of: Array(window.dropFirst().dropLast())) != nil)
        }
        let eval = try sampler.evaluationWindows(length: 10)
        #expect(eval.count == 12)
        #expect(eval.flatMap { $0.dropFirst().dropLast() } == Array(tokens.prefix(96)))
    }

    @Test func evaluationWindowsAreTheFloorOfNOverL() throws {
        let sampler = CalibrationSampler(tokens: tokens)
        let windows = try sampler.evaluationWindows(length: 30)
        #expect(windows.count == 3)
        #expect(windows.flatMap { $0 } == Array(tokens.prefix(90)))
        #expect(try sampler.evaluationWindows(length: 100).count == 1)
    }

    @Test func rejectsWindowsTheTextCannotFill() throws {
        let sampler = CalibrationSampler(tokens: tokens, framing: .clsSep(cls: 1, sep: 2), source: "ids.txt")
        #expect(throws: CalibrationError.tooFewTokens(source: "ids.txt", have: 100, need: 200)) { try sampler.randomWindows(count: 1, length: 200, seed: 0) }
        #expect(throws: CalibrationError.tooFewTokens(source: "ids.txt", have: 100, need: 103)) { try sampler.evaluationWindows(length: 103) }
        #expect(throws: CalibrationError.self) { try sampler.randomWindows(count: 1, length: 2, seed: 0) }
        #expect(throws: CalibrationError.self) { try sampler.randomWindows(count: 0, length: 8, seed: 0) }
    }

    @Test func encodesTheJoinedTextWithoutSpecialTokens() throws {
        let tokenizer = try Tokenizer(contentsOf: try #require(
            Bundle.module.url(forResource: "Fixtures/tokenizers/bert-wp/tokenizer.json", withExtension: nil)))
        let text = try CalibrationText(contentsOf: try calibrationFixture("docs.jsonl"))
        let framing = try WindowFraming.encoder(tokenizer)
        #expect(framing == .clsSep(cls: 2, sep: 3))
        let sampler = CalibrationSampler(text: text, tokenizer: tokenizer, framing: framing)
        #expect(sampler.tokens == tokenizer.encode(text.joined, addSpecialTokens: false))
        #expect(!sampler.tokens.contains(2) && !sampler.tokens.contains(3))
    }

    @Test(.enabled(if: miniLMTokenizerPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable this test"))
    func miniLMWindowsFromTheCommittedText() throws {
        let tokenizer = try Tokenizer(contentsOf: KnownModel.miniLM.directory.appendingPathComponent("tokenizer.json"))
        let text = try CalibrationText(contentsOf: try calibrationFixture("sample.txt"))
        let sampler = CalibrationSampler(text: text, tokenizer: tokenizer, framing: try .encoder(tokenizer))
        #expect(Array(sampler.tokens.prefix(6)) == tokenizer.encode("Layer-wise quantization", addSpecialTokens: false))
        let windows = try sampler.randomWindows(count: 4, length: 32, seed: 0)
        #expect(windows.allSatisfy { $0.count == 32 && $0.first == 101 && $0.last == 102 })
        #expect(windows == (try CalibrationSampler(text: text, tokenizer: tokenizer, framing: .clsSep(cls: 101, sep: 102))
            .randomWindows(count: 4, length: 32, seed: 0)))
    }

    @Test(.enabled(if: miniLMTokenizerPresent && python3Available, "demo model or python3 absent: run scripts/fetch-demo-model.sh to enable this test"))
    func miniLMWindowsFromTheDemoCorpus() throws {
        let tokenizer = try Tokenizer(contentsOf: KnownModel.miniLM.directory.appendingPathComponent("tokenizer.json"))
        let split = try CalibrationText.pythonDocumentationTopics()
        let sampler = CalibrationSampler(text: split.calibration, tokenizer: tokenizer, framing: try .encoder(tokenizer))
        #expect(sampler.tokens.count > 50_000)
        let windows = try sampler.randomWindows(count: 16, length: 128, seed: 0)
        #expect(windows.count == 16 && windows.allSatisfy { $0.count == 128 && $0.first == 101 && $0.last == 102 })
        let eval = CalibrationSampler(text: split.evaluation, tokenizer: tokenizer)
        #expect(try eval.evaluationWindows(length: 128).count == eval.tokens.count / 128)
    }
}
