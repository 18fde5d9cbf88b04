#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped read-only into memory; unmapped when the last reference goes away.
///
/// The mapping is private and read-only, so sharing the object across tasks is safe. What no mapping can
/// prevent is another process truncating the file: pages past the new end then fault (SIGBUS). `bytes(_:)`
/// checks the file's current size first and throws instead, and `MappedFileFault` turns a fault that still
/// happens (a truncation in the middle of a read) into a message naming the file.
final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    let path: String
    /// The mapped bytes as they were when mapped (empty for an empty file, which is never mapped). Read
    /// tensors through `bytes(_:)`.
    let bytes: UnsafeRawBufferPointer
    /// Kept open to check the size before each read.
    private let fd: Int32

    /// Opens `path` (a regular file: anything else is refused without blocking) and maps it.
    init(path: String) throws(FileReadError) {
        self.path = path
        let (fd, size) = try RegularFile.openForReading(path)
        self.fd = fd
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            let reason = "cannot map it: \(RegularFile.systemReason(errno))"
            close(fd)
            throw FileReadError(path: path, reason: reason)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        MappedFileFault.register(base: base, count: size, path: path)
    }

    /// The bytes `range`, once the file is checked to still hold them.
    func bytes(_ range: Range<Int>) throws(FileReadError) -> UnsafeRawBufferPointer {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileReadError(path: path, reason: RegularFile.systemReason(errno)) }
        guard Int(info.st_size) >= bytes.count else {
            throw FileReadError(path: path, reason: "the file changed while it was being read: it was \(bytes.count) bytes "
                                + "when opened and is \(info.st_size) now")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    deinit {
        if let base = bytes.baseAddress {
            MappedFileFault.unregister(base: base)
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
        close(fd)
    }
}
