/// An export that could not be written (the format could hold the run; the file system or the inputs failed).
public enum ExportFailure: Error, CustomStringConvertible, Sendable {
    case exists(path: String)
    case io(path: String, reason: String)
    /// The run or checkpoint does not fit together, e.g. a layer the checkpoint does not have.
    case mismatch(String)

    public var description: String {
        switch self {
        case let .exists(path): "\(path) exists (pass --replace to replace it)"
        case let .io(path, reason): "\(path): \(reason)"
        case let .mismatch(why): why
        }
    }
}
