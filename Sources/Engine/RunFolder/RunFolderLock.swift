import Foundation
import ModelKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock a run holds on its folder while it writes there: `run.lock`, an advisory `flock` taken
/// without waiting, with the holder's pid written inside for the message a second run shows. The kernel
/// drops the lock when its holder exits, however it exits, so a lock file left by a dead process is simply
/// taken over. Released by `release()` or when the value is freed.
public final class RunFolderLock: @unchecked Sendable {
    /// The lock file's name in a run folder.
    public static let fileName = "run.lock"
    private var fd: Int32

    /// Takes the lock of the folder `url` (created when missing), or throws `RunFolderError.locked` naming the holder.
    public init(_ url: URL) throws {
        let path = url.appendingPathComponent(Self.fileName).path
        do { try AtomicFile.makeFolder(url) } catch {
            throw RunFolderError.io(path: error.path, reason: "cannot create the run folder \(url.path): \(error.reason)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFolderError.io(path: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.pid(in: fd)
            close(fd)
            throw RunFolderError.locked(path: url.path, pid: holder)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    /// Gives the lock up (a second call does nothing).
    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// The pid the holder wrote, if it has written it yet.
    private static func pid(in fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
