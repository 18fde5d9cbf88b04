import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written, in words.
public struct FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes a file under a temporary name in its destination folder (`.NAME.UUID.partial`), flushes it and
/// renames it into place: a reader sees the old file or the new one, never half of one. A process killed
/// mid-write leaves only a temporary file, which `removeLeftovers` clears.
public enum AtomicFile {
    /// The suffix of the temporary files.
    public static let temporarySuffix = ".partial"

    /// Writes `data` to `url`.
    public static func write(_ data: Data, to url: URL) throws(FileWriteError) {
        try write(to: url) { handle in try handle.write(contentsOf: data) }
    }

    /// Runs `body` on a handle to a fresh temporary file, flushes it to disk, then renames it to `url`. On any
    /// failure the temporary file is removed and `url` is left untouched.
    public static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws(FileWriteError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)\(temporarySuffix)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FileWriteError(path: url.path, reason: "cannot create a file in \(folder.path): \(RegularFile.systemReason(errno))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw FileWriteError(path: url.path, reason: ErrorWords.describe(error))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = RegularFile.systemReason(errno)
            try? FileManager.default.removeItem(at: temporary)
            throw FileWriteError(path: url.path, reason: "cannot move the written file into place: \(reason)")
        }
    }

    /// Creates `url` and any missing parent folders (`mkdir -p`); the error says which part failed and why in
    /// the system's words (`a part of the path is not a folder`, `permission denied`).
    public static func makeFolder(_ url: URL) throws(FileWriteError) {
        var info = stat()
        if stat(url.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw FileWriteError(path: url.path, reason: "it exists and is not a folder") }
            return
        }
        let parent = url.deletingLastPathComponent()
        if parent.path != url.path { try makeFolder(parent) }
        guard mkdir(url.path, 0o755) == 0 || errno == EEXIST else {
            throw FileWriteError(path: url.path, reason: "cannot create the folder: \(RegularFile.systemReason(errno))")
        }
    }

    /// Removes the temporary files an interrupted write left in `folder` (ours, and Foundation's
    /// `.dat.nosync…` files of atomic `Data` writes). Only for a folder no other process writes.
    public static func removeLeftovers(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && (name.hasSuffix(temporarySuffix) || name.hasPrefix(".dat.nosync")) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
