import Foundation

/// Any error as one line of words for a person: this package's errors as they describe themselves, and
/// Foundation's (coding errors, file-system `NSError`s) as what went wrong and where, never as a type dump.
///
/// ```swift
/// ErrorWords.describe(error)   // "permission denied" rather than "Error Domain=NSCocoaErrorDomain Code=513 …"
/// ```
public enum ErrorWords {
    /// The error in words.
    public static func describe(_ error: Error) -> String {
        if let error = error as? DecodingError { return describe(error) }
        if let error = error as? EncodingError {
            guard case let .invalidValue(value, context) = error else { return "cannot encode a value" }
            return "cannot encode \(value) at \(path(context.codingPath)): \(context.debugDescription)"
        }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return String(describing: error) }
        var reason: String
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = RegularFile.systemReason(Int32(underlying.code))
        } else if ns.domain == NSPOSIXErrorDomain {
            reason = RegularFile.systemReason(Int32(ns.code))
        } else {
            reason = cocoaReason(ns)
        }
        if let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path {
            reason = "\(path): \(reason)"
        }
        return reason
    }

    /// A decoding error: what is wrong and at which key.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            "wrong value at \(path(context.codingPath)): \(context.debugDescription)"
        case let .dataCorrupted(context): "malformed JSON at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: "cannot decode: \(error.localizedDescription)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// The common file-system codes in words; Foundation's own text otherwise.
    private static func cocoaReason(_ error: NSError) -> String {
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: "permission denied"
        case .fileWriteOutOfSpace: "no space left on the device"
        case .fileWriteVolumeReadOnly: "the file system is read-only"
        case .fileWriteFileExists: "a file of that name exists"
        case .fileReadCorruptFile: "the data is not in the expected format"
        default: error.localizedFailureReason ?? error.localizedDescription
        }
    }
}
