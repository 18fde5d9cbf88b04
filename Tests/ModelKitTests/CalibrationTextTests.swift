import Foundation
import Testing
@testable import ModelKit

/// A committed calibration fixture.
func calibrationFixture(_ name: String) throws -> URL {
    try #require(Bundle.module.url(forResource: "Fixtures/calibration/\(name)", withExtension: nil),
                 "missing fixture Fixtures/calibration/\(name)")
}

/// True when `python3` runs (the demo corpus comes from it).
let python3Available: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import pydoc_data.topics"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}()

/// The calibration error `body` throws, or nil when it succeeds or throws something else.
func calibrationError(_ body: () throws -> Void) -> CalibrationError? {
    do { try body() } catch { return error as? CalibrationError }
    return nil
}

@Suite("Calibration text")
struct CalibrationTextTests {
    @Test func readsAPlainTextFileAsItsParagraphs() throws {
        let url = try calibrationFixture("sample.txt")
        let text = try CalibrationText(contentsOf: url)
        let paragraphs = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        #expect(text.documents == paragraphs && paragraphs.count == 3)
        #expect(text.sourceDescription == "sample.txt (3 documents)")
        #expect(try text.split().evaluation.documents.count == 1)
    }

    /// One paragraph (or CRLF lines without blank lines) still splits: into chunks at line or word boundaries.
    @Test func plainTextWithoutParagraphsIsCutIntoChunks() throws {
        let line = "A sentence of plain calibration text, without any blank line after it.\r\n"
        let text = String(repeating: line, count: 3 * CalibrationText.chunkCharacters / line.count)
        let documents = CalibrationText.documents(ofPlainText: text)
        #expect(documents.count == 3 || documents.count == 4)
        #expect(documents.allSatisfy { $0.count <= CalibrationText.chunkCharacters && $0.hasPrefix("A sentence") })
        #expect(CalibrationText.documents(ofPlainText: "short\r\n\r\nand short") == ["short", "and short"])
    }

    @Test func textTooShortToSplitSaysWhichFileAndWhatItNeeds() throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(text: "only one short line", to: "tiny.txt")
        let error = try #require(throws: CalibrationError.self) { try CalibrationText(contentsOf: url).split() }
        #expect(error == .tooShortToSplit(source: "tiny.txt (1 document)", documents: 1))
        #expect(error.description.contains("blank lines"))
    }

    @Test func readsTheTextFieldOfEveryJSONLine() throws {
        let text = try CalibrationText(contentsOf: try calibrationFixture("docs.jsonl"))
        #expect(text.documents == ["The first document is short.", "The second one has an id and a unicode dash — here.",
                                   "Line three \"quotes\" itself."])
        #expect(text.sourceDescription == "docs.jsonl (3 documents)")
        #expect(text.joined == text.documents.joined(separator: "\n\n"))
        let forcedPlain = try CalibrationText(contentsOf: try calibrationFixture("docs.jsonl"), format: .plainText)
        #expect(forcedPlain.documents.count == 2, "its blank line makes two paragraphs")
    }

    @Test func badJSONLinesNameTheFileAndTheLine() throws {
        let scratch = try CheckpointScratch()
        let cases: [(String, Int, String)] = [
            ("{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n", 3, "bad JSON"),
            ("{\"text\": \"ok\"}\n{\"title\": \"no text\"}\n", 2, "no \"text\" field"),
            ("[\"text\"]\n", 1, "expected a JSON object, found a array"),
            ("{\"text\": 42}\n", 1, "\"text\" is a number"),
        ]
        for (body, line, reason) in cases {
            let url = try scratch.write(text: body, to: "bad.jsonl")
            let error = calibrationError { _ = try CalibrationText(contentsOf: url) }
            guard case let .badJSONLine(file, l, r)? = error else {
                Issue.record("expected a bad-line error for \(body), got \(String(describing: error))")
                continue
            }
            #expect(file == url.path && l == line && r.contains(reason))
            #expect(error?.description.hasPrefix("\(url.path):\(line): ") == true)
        }
    }

    @Test func rejectsMissingEmptyAndNonUTF8Files() throws {
        let scratch = try CheckpointScratch()
        #expect(throws: CalibrationError.empty(source: scratch.file("blank.txt").path)) {
            try CalibrationText(contentsOf: try scratch.write(text: " \n\t\n", to: "blank.txt"))
        }
        #expect(throws: CalibrationError.empty(source: scratch.file("blank.jsonl").path)) {
            try CalibrationText(contentsOf: try scratch.write(text: "\n\n", to: "blank.jsonl"))
        }
        #expect(throws: CalibrationError.notUTF8(file: scratch.file("latin1.txt").path)) {
            try CalibrationText(contentsOf: try scratch.write([0x63, 0x61, 0x66, 0xE9], to: "latin1.txt"))
        }
        let missing = calibrationError { _ = try CalibrationText(contentsOf: scratch.file("missing.txt")) }
        guard case let .unreadable(file, _)? = missing else {
            Issue.record("expected an unreadable-file error, got \(String(describing: missing))")
            return
        }
        #expect(file == scratch.file("missing.txt").path)
    }

    @Test func splitsBySeedIntoDisjointOrderedParts() throws {
        let corpus = CalibrationText(documents: (0..<20).map { "doc \($0)" }, sourceDescription: "twenty")
        let a = try corpus.split(calibrationFraction: 0.8, seed: 1)
        #expect(a == (try corpus.split(calibrationFraction: 0.8, seed: 1)))
        #expect(a.calibration.documents.count == 16 && a.evaluation.documents.count == 4)
        #expect(Set(a.calibration.documents + a.evaluation.documents) == Set(corpus.documents))
        let index = { (d: String) in corpus.documents.firstIndex(of: d)! }
        #expect(a.calibration.documents.map(index) == a.calibration.documents.map(index).sorted())
        #expect(a.evaluation.sourceDescription == "twenty, evaluation split: 4 of 20 documents (seed 1)")
        #expect(a != (try corpus.split(calibrationFraction: 0.8, seed: 2)))
        #expect(throws: CalibrationError.self) { try corpus.split(calibrationFraction: 1) }
        #expect(throws: CalibrationError.self) {
            try CalibrationText(documents: ["one"], sourceDescription: "one").split()
        }
    }

    @Test(.enabled(if: python3Available, "python3 with pydoc_data is absent: the demo corpus cannot be read"))
    func pythonTopicsSplitIntoCalibrationAndEvaluation() throws {
        let split = try CalibrationText.pythonDocumentationTopics()
        let all = split.calibration.documents.count + split.evaluation.documents.count
        #expect(all > 50)
        #expect(split.calibration.documents.count == Int((0.8 * Double(all)).rounded()))
        #expect(split.calibration.characterCount + split.evaluation.characterCount > 300_000)
        #expect(split.calibration.sourceDescription.hasPrefix("pydoc_data.topics of Python 3."))
        #expect(split.calibration.sourceDescription.contains("calibration split"))
        #expect(Set(split.calibration.documents).isDisjoint(with: split.evaluation.documents))
        #expect(split == (try CalibrationText.pythonDocumentationTopics()))
    }

    @Test func aMissingPythonIsAClearError() throws {
        let error = calibrationError { _ = try CalibrationText.pythonDocumentationTopics(python: "no-such-python-interpreter") }
        guard case let .pythonFailed(status, message)? = error else {
            Issue.record("expected a python failure, got \(String(describing: error))")
            return
        }
        #expect(status != 0 && !message.isEmpty)
    }
}
