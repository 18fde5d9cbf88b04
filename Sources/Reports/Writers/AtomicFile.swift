import Foundation
import ModelKit

/// Writes a file under a temporary name in the destination folder and renames it into place, so a reader
/// sees the old file or the new one, never half of one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.writeFailed(path: url.path, reason: ErrorWords.describe(error))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.writeFailed(path: url.path, reason: reason)
        }
    }
}
