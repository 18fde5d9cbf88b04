import Foundation

/// Writes a file under a temporary name in its destination folder and renames it into place.
enum AtomicFileWriter {
    /// Runs `body` on a handle to a fresh temporary file, flushes it to disk, then renames it to
    /// `url`. On any failure the temporary file is removed and `url` is left untouched.
    static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws(SafetensorsError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw .writeFailed(file: url.path, reason: "cannot create a temporary file in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try body(handle)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .writeFailed(file: url.path, reason: "\(error)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .writeFailed(file: url.path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }
}
