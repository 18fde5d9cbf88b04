import Foundation
import ModelKit

/// One stretch of a run: from a start (or a `--resume`) to its end, as `parts.json` in the run folder
/// records them, so the reports of a resumed run start at the first part and count the wall time of all.
/// A part's end is rewritten as each layer finishes, so a killed part still counts up to its last layer.
public struct RunPart: Sendable, Codable, Equatable {
    /// The file's name in a run folder.
    public static let fileName = "parts.json"

    public var started: Date
    public var ended: Date

    public init(started: Date, ended: Date) {
        self.started = started
        self.ended = ended
    }

    /// Wall-clock seconds of the part.
    public var seconds: Double { max(0, ended.timeIntervalSince(started)) }
}

extension RunFolder {
    /// The parts recorded so far, oldest first (none for a new folder or one of an older build).
    public func runParts() throws -> [RunPart] {
        let path = url.appendingPathComponent(RunPart.fileName)
        guard FileManager.default.fileExists(atPath: path.path) else { return [] }
        do { return try JSONDecoder().decode([RunPart].self, from: Data(try RegularFile.contents(of: path))) } catch {
            throw RunFolderError.io(path: path.path, reason: "unreadable: \(ErrorWords.describe(error))")
        }
    }

    /// Records `parts` (the earlier ones and the current one, last).
    public func record(parts: [RunPart]) throws {
        let path = url.appendingPathComponent(RunPart.fileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try AtomicFile.write(try encoder.encode(parts), to: path) } catch {
            throw RunFolderError.io(path: path.path, reason: "cannot write: \(ErrorWords.describe(error))")
        }
    }
}
