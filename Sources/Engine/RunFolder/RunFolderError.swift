import Foundation

/// Why a run folder cannot be used for a run.
public enum RunFolderError: Error, Equatable, CustomStringConvertible {
    /// Another live process holds the folder's lock.
    case locked(path: String, pid: Int32?)
    /// The folder was made by another recipe (or the recipe was edited since).
    case recipeMismatch(path: String)
    /// The folder's layers were solved on another checkpoint (or the checkpoint changed since).
    case checkpointMismatch(path: String, recorded: String, current: String)
    /// The run's layers are to be applied to a checkpoint other than the one they were solved on.
    case otherCheckpoint(path: String, recorded: String, current: String)
    /// The folder has no saved layers to evaluate.
    case noLayers(path: String)
    /// A file of the folder could not be read or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .locked(path, pid):
            return "\(path) is in use by another run (pid \(pid.map(String.init) ?? "unknown")); wait for it to end or choose another output folder"
        case let .recipeMismatch(path):
            return "\(path) was made by another recipe (or the recipe was edited since); "
                + "continue it with --resume \(path), or start over with --restart (clears its layers)"
        case let .checkpointMismatch(path, recorded, current):
            return "\(path) holds layers of the checkpoint \(recorded), not \(current) (or the checkpoint changed since); "
                + "start over with --restart (clears its layers)"
        case let .otherCheckpoint(path, recorded, current):
            return "\(path) holds layers solved on \(recorded), not on \(current) (or that checkpoint changed since); "
                + "--any-checkpoint applies them anyway"
        case let .noLayers(path):
            return "\(path) has no quantized layers yet"
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }
}
