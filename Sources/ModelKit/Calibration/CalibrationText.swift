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
        /// Documents are the paragraphs (split at blank lines); text with fewer than two is cut into chunks of
        /// about `chunkCharacters` at line or word boundaries.
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
            documents = Self.documents(ofPlainText: text)
        case .jsonLines:
            documents = try JSONLinesReader.texts(bytes, file: url.path)
        }
        guard documents.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { throw .empty(source: url.path) }
        let count = documents.count
        sourceDescription = url.lastPathComponent + " (\(count) document\(count == 1 ? "" : "s"))"
    }

    /// Characters per chunk when plain text has fewer than two paragraphs.
    public static let chunkCharacters = 2000

    /// The paragraphs of plain text (blank-line separated, CRLF or LF), or, with fewer than two, chunks of
    /// about `chunkCharacters` cut after a newline or a space.
    static func documents(ofPlainText text: String) -> [String] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var paragraphs: [String] = [], current: [Substring] = []
        for line in lines + [""] {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        guard paragraphs.count < 2, let only = paragraphs.first, only.count > chunkCharacters else { return paragraphs }
        var chunks: [String] = [], rest = Substring(only)
        while rest.count > chunkCharacters {
            let limit = rest.index(rest.startIndex, offsetBy: chunkCharacters)
            let cut = rest[..<limit].lastIndex(where: \.isNewline) ?? rest[..<limit].lastIndex(of: " ") ?? limit
            let end = cut == rest.startIndex ? limit : cut
            chunks.append(String(rest[..<end]))
            rest = rest[end...].drop(while: \.isWhitespace)
        }
        if !rest.isEmpty { chunks.append(String(rest)) }
        return chunks
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
        guard documents.count >= 2 else { throw .tooShortToSplit(source: sourceDescription, documents: documents.count) }
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
