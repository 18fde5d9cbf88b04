/// A fault in building or writing a GGUF file; the message names the key, tensor or file and the fault.
public enum GGUFWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A metadata key was added twice.
    case duplicateKey(key: String)
    /// A metadata key or value the format cannot hold (an empty key, a mixed or nested array, a bad alignment).
    case invalidValue(key: String, reason: String)
    /// A tensor name was added twice.
    case duplicateTensor(tensor: String)
    /// A tensor's name or dimensions the format cannot hold.
    case invalidTensor(tensor: String, reason: String)
    /// A tensor's bytes are not the size its type and dimensions need.
    case sizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    /// The closure producing a tensor's bytes failed while the file was written.
    case tensorSourceFailed(tensor: String, reason: String)
    /// The file could not be written.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .duplicateKey(key):
            "GGUF metadata '\(key)' was already added"
        case let .invalidValue(key, reason):
            "GGUF metadata '\(key)': \(reason)"
        case let .duplicateTensor(tensor):
            "GGUF tensor '\(tensor)' was already added"
        case let .invalidTensor(tensor, reason):
            "GGUF tensor '\(tensor)': \(reason)"
        case let .sizeMismatch(tensor, expected, actual):
            "GGUF tensor '\(tensor)': \(actual) bytes given, its type and dimensions need \(expected)"
        case let .tensorSourceFailed(tensor, reason):
            "GGUF tensor '\(tensor)': cannot produce its bytes: \(reason)"
        case let .writeFailed(file, reason):
            "\(file): cannot write: \(reason)"
        }
    }
}
