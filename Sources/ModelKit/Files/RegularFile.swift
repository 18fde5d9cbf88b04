import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read, in words: `/m/config.json: not a regular file (a FIFO)`.
public struct FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path as given.
    public let path: String
    /// What is wrong, e.g. `no such file`, `a symbolic link loop`, `permission denied`.
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}

/// Whole-file reads that never block and name the fault: only regular files are read. A FIFO, socket,
/// device or folder is refused by its kind before a byte is read (opening a FIFO for reading would wait
/// for a writer forever), and symlink loops, missing files and permissions are told apart.
public enum RegularFile {
    /// The bytes of the regular file at `url`.
    public static func contents(of url: URL) throws(FileReadError) -> [UInt8] {
        let (fd, size) = try openForReading(url.path)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        // The size is a hint: read to the end whatever it is now.
        while true {
            if done == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count / 2))) }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw FileReadError(path: url.path, reason: systemReason(errno)) }
            if n == 0 { break }
            done += n
        }
        bytes.removeLast(bytes.count - done)
        return bytes
    }

    /// `count` reads of `length` bytes spread evenly over the file, first and last included (the whole of a
    /// file shorter than `length`): a content sample for fingerprints that must stay cheap on large files.
    public static func samples(of url: URL, count: Int = 16, length: Int = 4096) throws(FileReadError) -> [UInt8] {
        let (fd, size) = try openForReading(url.path)
        defer { close(fd) }
        let offsets = size <= length ? [0] : (0..<count).map { (size - length) * $0 / max(count - 1, 1) }
        var bytes = [UInt8](repeating: 0, count: offsets.count * min(length, size))
        var filled = 0
        for offset in offsets {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, min(length, size), off_t(offset)) }
            guard n >= 0 else { throw FileReadError(path: url.path, reason: systemReason(errno)) }
            filled += n
        }
        return Array(bytes[..<filled])
    }

    /// The file at `url` as UTF-8 text; `nil` when its bytes are not UTF-8.
    public static func text(of url: URL) throws(FileReadError) -> String? {
        String(validating: try contents(of: url), as: UTF8.self)
    }

    /// True when the folder has an entry at `url`, even one that cannot be opened (a broken or looping
    /// symbolic link, a FIFO): reading it then says what is wrong instead of calling the file missing.
    public static func entryExists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Opens a regular file for reading without blocking: the descriptor (the caller closes it) and the size.
    static func openForReading(_ path: String) throws(FileReadError) -> (fd: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(path: path, reason: systemReason(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = systemReason(errno)
            close(fd)
            throw FileReadError(path: path, reason: reason)
        }
        guard let kind = kind(info.st_mode), kind == "regular" else {
            close(fd)
            throw FileReadError(path: path, reason: "not a regular file (\(kind(info.st_mode) ?? "an unknown kind of file"))")
        }
        // Reads of a regular file never block; the flag only mattered for opening.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, Int(info.st_size))
    }

    /// `"regular"` or the kind of a file that is not one, in words.
    private static func kind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: "regular"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: nil
        }
    }

    /// The system's reason for `code`, with the common ones in plain words.
    static func systemReason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case ELOOP: "a symbolic link loop"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a part of the path is not a folder"
        case EISDIR: "not a regular file (a folder)"
        default: String(cString: strerror(code))
        }
    }
}
