/// A fault in reading a GGUF file; the message names the file and the fault.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case cannotOpen(file: String, reason: String)
    /// A tensor's bytes could not be read (the file shrank after it was opened).
    case unreadable(file: String, reason: String)
    /// The file does not start with the `GGUF` magic.
    case notGGUF(file: String)
    /// A version other than 2 and 3 (version 1 used 32-bit counts and is not read).
    case unsupportedVersion(file: String, version: UInt32)
    /// The header is big-endian (llama.cpp's `--bigendian` output); only little-endian files are read.
    case bigEndian(file: String)
    /// The file ends inside the header, a key/value or a tensor info.
    case truncated(file: String, offset: Int, reading: String)
    /// A key, a tensor name or a string value is not valid UTF-8.
    case invalidUTF8(file: String, reading: String)
    /// A metadata value is malformed or has the wrong type for its key.
    case invalidMetadata(file: String, key: String, reason: String)
    /// A key required for the architecture is absent.
    case missingMetadata(file: String, key: String)
    /// A tensor info is malformed: dimensions, offset, alignment, size, or a repeated name.
    case invalidTensorInfo(file: String, tensor: String, reason: String)
    /// A tensor type id that ggml does not define (or that this reader does not know).
    case unknownTensorType(file: String, tensor: String, id: UInt32)
    /// A tensor's data runs past the end of the file.
    case tensorOutOfBounds(file: String, tensor: String, end: Int, fileSize: Int)
    /// No tensor of that name.
    case tensorNotFound(file: String, tensor: String)
    /// A known type this reader does not dequantize.
    case notDequantizable(file: String, tensor: String, type: GGMLType)
    /// `general.architecture` names a model family quantbench cannot run.
    case unsupportedArchitecture(file: String, architecture: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            "\(file): cannot open: \(reason)"
        case let .unreadable(file, reason):
            "\(file): cannot read: \(reason)"
        case let .notGGUF(file):
            "\(file): not a GGUF file (no 'GGUF' magic at byte 0)"
        case let .unsupportedVersion(file, version):
            "\(file): GGUF version \(version) is not supported (versions 2 and 3 are)"
        case let .bigEndian(file):
            "\(file): big-endian GGUF files are not supported"
        case let .truncated(file, offset, reading):
            "\(file): truncated: the file ends at byte \(offset) while reading \(reading)"
        case let .invalidUTF8(file, reading):
            "\(file): \(reading) is not valid UTF-8"
        case let .invalidMetadata(file, key, reason):
            "\(file): metadata '\(key)': \(reason)"
        case let .missingMetadata(file, key):
            "\(file): metadata '\(key)' is missing"
        case let .invalidTensorInfo(file, tensor, reason):
            "\(file): tensor '\(tensor)': \(reason)"
        case let .unknownTensorType(file, tensor, id):
            "\(file): tensor '\(tensor)' has unknown tensor type id \(id)"
        case let .tensorOutOfBounds(file, tensor, end, fileSize):
            "\(file): tensor '\(tensor)' ends at byte \(end), past the end of the file (\(fileSize) bytes; truncated?)"
        case let .tensorNotFound(file, tensor):
            "\(file): no tensor named '\(tensor)'"
        case let .notDequantizable(file, tensor, type):
            "\(file): tensor '\(tensor)' is \(type.name), which quantbench cannot dequantize (it reads "
                + GGMLType.dequantizable.map(\.name).joined(separator: ", ") + ")"
        case let .unsupportedArchitecture(file, architecture):
            "\(file): architecture '\(architecture)' is not supported (quantbench runs GGUF llama models)"
        }
    }
}
