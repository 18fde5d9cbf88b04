/// A fault in reading or writing a safetensors file; the message names the file and the fault.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case cannotOpen(file: String, reason: String)
    /// A tensor's bytes could not be read (the file shrank after it was opened).
    case unreadable(file: String, reason: String)
    /// The file is shorter than the 8-byte header length prefix.
    case fileTooSmall(file: String, size: Int)
    /// The declared header length exceeds the reference reader's 100,000,000-byte limit.
    case headerTooLarge(file: String, length: UInt64)
    /// The declared header runs past the end of the file.
    case headerTruncated(file: String, length: UInt64, fileSize: Int)
    /// The header is not a JSON object (bad JSON, bad UTF-8, or not starting with `{`).
    case invalidHeaderJSON(file: String, reason: String)
    /// `__metadata__` is not a flat string-to-string map.
    case invalidMetadata(file: String, reason: String)
    /// A tensor entry is malformed (missing or mistyped `dtype`, `shape`, `data_offsets`).
    case invalidTensorEntry(file: String, tensor: String, reason: String)
    /// A tensor's dtype string is not one the format defines.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// Two header entries share a name.
    case duplicateTensor(file: String, tensor: String)
    /// A tensor's byte range does not hold `product(shape) × dtype size` bytes.
    case sizeMismatch(file: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// The element count or byte size overflows, or a sub-byte tensor does not fill whole bytes.
    case invalidSize(file: String, tensor: String, reason: String)
    /// Tensors do not tile the data buffer: a hole or an overlap before this tensor.
    case noncontiguousData(file: String, tensor: String, expectedBegin: Int, begin: Int)
    /// The tensors end before or after the end of the file (truncated file or trailing bytes).
    case incompleteBuffer(file: String, tensorBytes: Int, bufferBytes: Int)
    /// No tensor of that name in the file.
    case tensorNotFound(file: String, tensor: String)
    /// The tensor's dtype cannot be converted to the requested floating-point type.
    case notFloatingPoint(file: String, tensor: String, dtype: SafetensorsDType)
    /// The tensor is not two-dimensional, so it is not a matrix.
    case notAMatrix(file: String, tensor: String, shape: [Int])
    /// Tensor data given to the writer does not match its shape or name rules.
    case invalidTensorData(tensor: String, reason: String)
    /// Writing the output failed; no partial file is left at the destination.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            "\(file): cannot open safetensors file: \(reason)"
        case let .unreadable(file, reason):
            "\(file): cannot read: \(reason)"
        case let .fileTooSmall(file, size):
            "\(file): not a safetensors file: \(size) bytes, shorter than the 8-byte header length"
        case let .headerTooLarge(file, length):
            "\(file): corrupt safetensors header: declared length \(length) exceeds the 100000000-byte limit"
        case let .headerTruncated(file, length, fileSize):
            "\(file): truncated safetensors file: header of \(length) bytes does not fit in \(fileSize) bytes"
        case let .invalidHeaderJSON(file, reason):
            "\(file): corrupt safetensors header: \(reason)"
        case let .invalidMetadata(file, reason):
            "\(file): invalid __metadata__: \(reason)"
        case let .invalidTensorEntry(file, tensor, reason):
            "\(file): invalid header entry for tensor '\(tensor)': \(reason)"
        case let .unknownDType(file, tensor, dtype):
            "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case let .duplicateTensor(file, tensor):
            "\(file): tensor name '\(tensor)' appears twice in the header"
        case let .sizeMismatch(file, tensor, expected, actual):
            "\(file): tensor '\(tensor)' has \(actual) bytes of data, its shape and dtype need \(expected)"
        case let .invalidSize(file, tensor, reason):
            "\(file): tensor '\(tensor)': \(reason)"
        case let .noncontiguousData(file, tensor, expected, begin):
            begin > expected
                ? "\(file): tensor '\(tensor)' starts at byte \(begin), leaving a hole after byte \(expected)"
                : "\(file): tensor '\(tensor)' starts at byte \(begin), overlapping data that ends at byte \(expected)"
        case let .incompleteBuffer(file, tensorBytes, bufferBytes):
            tensorBytes < bufferBytes
                ? "\(file): tensors cover \(tensorBytes) bytes but the data buffer has \(bufferBytes) (trailing bytes)"
                : "\(file): truncated safetensors file: tensors need \(tensorBytes) data bytes, the file has \(bufferBytes)"
        case let .tensorNotFound(file, tensor):
            "\(file): no tensor named '\(tensor)'"
        case let .notFloatingPoint(file, tensor, dtype):
            "\(file): tensor '\(tensor)' has dtype \(dtype.rawValue), which is not converted to floating point"
        case let .notAMatrix(file, tensor, shape):
            "\(file): tensor '\(tensor)' has shape \(shape), not a 2-D matrix"
        case let .invalidTensorData(tensor, reason):
            "tensor '\(tensor)': \(reason)"
        case let .writeFailed(file, reason):
            "\(file): could not write safetensors file: \(reason)"
        }
    }
}
