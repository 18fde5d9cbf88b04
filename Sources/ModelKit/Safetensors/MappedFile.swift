#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped when the last reference goes away.
///
/// The bytes never change after `init` (a private read-only mapping), so sharing the
/// object across tasks is safe.
final class MappedFile: @unchecked Sendable {
    /// The mapped bytes (empty for an empty file, which is never mapped).
    let bytes: UnsafeRawBufferPointer

    /// Opens `path` and maps it, or throws `cannotOpen` with the system's reason.
    init(path: String) throws(SafetensorsError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(file: path, reason: Self.systemError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(file: path, reason: Self.systemError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(file: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .cannotOpen(file: path, reason: "mmap failed: \(Self.systemError())")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
