import Foundation
import Synchronization

/// A log that appends lines to a file and never writes to the terminal (a log line on screen would
/// corrupt the frame). Safe to call from any thread.
public final class FileLog: Sendable {
    private let handle: Mutex<FileHandle?>
    public let url: URL

    /// Opens (or creates) the file for appending; a log that cannot be opened drops its lines.
    public init(url: URL) {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let h = try? FileHandle(forWritingTo: url)
        _ = try? h?.seekToEnd()
        handle = Mutex(h)
    }

    /// Appends one timestamped line.
    public func write(_ message: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let data = Data((stamp + " " + message + "\n").utf8)
        handle.withLock { h in try? h?.write(contentsOf: data) }
    }

    deinit { handle.withLock { h in try? h?.close() } }
}
