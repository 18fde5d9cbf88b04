import Foundation

/// A tokenizer file that cannot be loaded: which file, and what is wrong with it.
public struct TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with a tokenizer file.
    public enum Fault: Error, Equatable, Sendable {
        /// The file could not be read.
        case unreadable(reason: String)
        /// The file is not valid JSON (or not the expected text format).
        case malformed(reason: String)
        /// A required field is absent or has the wrong type; `field` is a dotted path such as `model.vocab`.
        case missingField(String)
        /// A component (`model`, `normalizer`, `pre_tokenizer`, `post_processor`, `decoder`) of a type this
        /// package does not implement.
        case unsupported(component: String, type: String)
        /// A component whose settings are inconsistent, such as an `unk_token` missing from the vocabulary.
        case invalid(component: String, reason: String)
    }

    /// The file that failed to load.
    public let file: String
    /// What is wrong with it.
    public let fault: Fault

    /// Creates an error for `file`.
    public init(file: String, fault: Fault) {
        self.file = file
        self.fault = fault
    }

    public var description: String {
        let name = (file as NSString).lastPathComponent
        switch fault {
        case .unreadable(let reason): return "\(name): cannot read the file (\(reason))"
        case .malformed(let reason): return "\(name): malformed (\(reason))"
        case .missingField(let field): return "\(name): missing or mistyped field `\(field)`"
        case .unsupported(let component, let type):
            return "\(name): unsupported \(component) type `\(type)`"
        case .invalid(let component, let reason): return "\(name): invalid \(component): \(reason)"
        }
    }
}
