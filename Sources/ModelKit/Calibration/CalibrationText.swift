import Foundation

/// Calibration (or evaluation) text: documents, and a description of where they came from for reports.
///
/// ```swift
/// let text = try CalibrationText(contentsOf: URL(fileURLWithPath: "wiki.jsonl"))   // one {"text": …} per line
/// let demo = try CalibrationText.pythonDocumentationTopics()                     // the demo corpus, split 80/20
/// ```
public struct CalibrationText: Sendable, Equatable {
    /// How a file is read.
    public enum Format: Sendable, Equatable {
        /// The whole file is one document.
        case plainText
        /// One JSON object per line with a string `"text"` field; blank lines are skipped.
        case jsonLines
    }

    /// The documents, in order.
    public var documents: [String]
    /// Where the text came from, e.g. `wiki.jsonl (1,200 documents)`; reports quote it.
    public var sourceDescription: String

    /// Text from memory.
    public init(documents: [String], sourceDescription: String) {
        self.documents = documents
        self.sourceDescription = sourceDescription
    }

    /// Reads a plain-text or JSONL file; `format` nil means JSONL for `.jsonl`/`.ndjson` names, plain text otherwise.
    public init(contentsOf url: URL, format: Format? = nil) throws(CalibrationError) {
        var bytes: [UInt8]
        do { bytes = try RegularFile.contents(of: url) } catch { throw .unreadable(file: url.path, reason: error.reason) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let resolved = format ?? (["jsonl", "ndjson"].contains(url.pathExtension.lowercased()) ? .jsonLines : .plainText)
        switch resolved {
        case .plainText:
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw .notUTF8(file: url.path) }
            documents = [text]
        case .jsonLines:
            documents = try JSONLinesReader.texts(bytes, file: url.path)
        }
        guard documents.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { throw .empty(source: url.path) }
        let count = documents.count
        sourceDescription = url.lastPathComponent + (resolved == .jsonLines ? " (\(count) document\(count == 1 ? "" : "s"))" : "")
    }

    /// The documents joined with a blank line (`"\n\n"`), the way reference evaluations join a test split.
    public var joined: String { documents.joined(separator: "\n\n") }

    /// Total characters of all documents.
    public var characterCount: Int { documents.reduce(0) { $0 + $1.count } }

    /// Splits the documents into a calibration part and a held-out evaluation part: a seeded shuffle, then the
    /// first `round(fraction · count)` documents calibrate. Each part keeps the original document order.
    public func split(calibrationFraction fraction: Double = 0.8, seed: UInt64 = 0) throws(CalibrationError) -> CalibrationSplit {
        guard fraction > 0, fraction < 1 else {
            throw .invalidParameter(name: "calibration fraction", value: "\(fraction)", expected: "strictly between 0 and 1")
        }
        guard documents.count >= 2 else {
            throw .invalidParameter(name: "documents", value: "\(documents.count)", expected: "at least 2 to split")
        }
        let order = SeededShuffle.permutation(count: documents.count, seed: seed)
        let cut = min(max(Int((fraction * Double(documents.count)).rounded()), 1), documents.count - 1)
        let calibrationIndices = order[..<cut].sorted(), evaluationIndices = order[cut...].sorted()
        func part(_ indices: [Int], _ role: String) -> CalibrationText {
            CalibrationText(documents: indices.map { documents[$0] },
                            sourceDescription: "\(sourceDescription), \(role) split: \(indices.count) of \(documents.count) documents (seed \(seed))")
        }
        return CalibrationSplit(calibration: part(calibrationIndices, "calibration"),
                                evaluation: part(evaluationIndices, "evaluation"))
    }
}

/// A corpus split into calibration text and held-out evaluation text.
public struct CalibrationSplit: Sendable, Equatable {
    /// Text the layer statistics Σ are collected on.
    public var calibration: CalibrationText
    /// Held-out text for perplexity or embedding evaluation.
    public var evaluation: CalibrationText
}
