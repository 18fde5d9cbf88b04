import Foundation

extension CalibrationText {
    /// The program that prints the corpus: the Python version and `pydoc_data.topics` as JSON.
    static let pythonTopicsProgram =
        "import json, sys, pydoc_data.topics as t; print(json.dumps({'python': sys.version.split()[0], 'topics': t.topics}))"

    /// The demo corpus: the documentation topics that ship with python3 (`pydoc_data.topics`, about 460k
    /// characters of English), read at run time by running `python` and split by topic into calibration and
    /// held-out evaluation parts with a fixed seed. Topics are ordered by name before the seeded shuffle, so
    /// the split depends only on the Python version, the fraction and the seed.
    public static func pythonDocumentationTopics(python: String = "python3", calibrationFraction: Double = 0.8,
                                                 seed: UInt64 = 0) throws(CalibrationError) -> CalibrationSplit {
        let output = try runPython(python)
        let parsed: StrictJSON
        do { parsed = try StrictJSONParser.parse(output) } catch {
            throw .unexpectedPythonOutput(reason: "bad JSON at byte \(error.offset): \(error.reason)")
        }
        guard case let .object(root) = parsed,
              case let .string(version)? = root.first(where: { $0.key == "python" })?.value,
              case let .object(topics)? = root.first(where: { $0.key == "topics" })?.value
        else { throw .unexpectedPythonOutput(reason: "expected {\"python\": version, \"topics\": {name: text}}") }
        var named: [(name: String, text: String)] = []
        for (name, value) in topics {
            guard case let .string(text) = value else { throw .unexpectedPythonOutput(reason: "topic '\(name)' is not a string") }
            named.append((name, text))
        }
        named.sort { $0.name < $1.name }
        var corpus = CalibrationText(documents: named.map(\.text), sourceDescription: "")
        guard corpus.characterCount > 0 else { throw .empty(source: "pydoc_data.topics") }
        corpus.sourceDescription = "pydoc_data.topics of Python \(version) (\(named.count) topics, \(corpus.characterCount) characters)"
        return try corpus.split(calibrationFraction: calibrationFraction, seed: seed)
    }

    /// Runs `python -c program` and returns its standard output.
    private static func runPython(_ python: String) throws(CalibrationError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", pythonTopicsProgram]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw .pythonFailed(status: -1, message: ErrorWords.describe(error)) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no message"
            throw .pythonFailed(status: process.terminationStatus, message: message)
        }
        return [UInt8](stdout)
    }
}
