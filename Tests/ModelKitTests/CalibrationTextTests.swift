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
    @Test func readsAPlainTextFileAsOneDocument() throws {
        let url = try calibrationFixture("sample.txt")
        let text = try CalibrationText(contentsOf: url)
        #expect(text.documents == [try String(contentsOf: url, encoding: .utf8)])
        #expect(text.sourceDescription == "sample.txt")
        #expect(text.joined == text.documents[0])
    }

    @Test func readsTheTextFieldOfEveryJSONLine() throws {
        let text = try CalibrationText(contentsOf: try calibrationFixture("docs.jsonl"))
        #expect(text.documents == ["The first document is short.", "The second one has an id and a unicode dash — here.",
                                   "Line three \"quotes\" itself."])
        #expect(text.sourceDescription == "docs.jsonl (3 documents)")
        #expect(text.joined == text.documents.joined(separator: "\n\n"))
        let forcedPlain = try CalibrationText(contentsOf: try calibrationFixture("docs.jsonl"), format: .plainText)
        #expect(forcedPlain.documents.count == 1)
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
