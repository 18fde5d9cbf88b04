import ModelKit
/// Why a layer solve could not start; every case names the file and the fault.
public enum LayerSolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No tensor name was given and the file does not single one out (several tensors, none named by default).
    case ambiguousTensor(file: String, defaultName: String, available: [String])
    /// The file holds no tensors at all.
    case noTensors(file: String)
    /// The tensor's dtype is not one the solve reads for this role.
    case unsupportedDType(file: String, tensor: String, dtype: String, allowed: [String])

    public var description: String {
        switch self {
        case let .ambiguousTensor(file, defaultName, available):
            let names = available.prefix(8).map { "'\($0)'" }.joined(separator: ", ") + (available.count > 8 ? ", …" : "")
            return "\(file): \(available.count) tensors (\(names)) and none is named '\(defaultName)': name the tensor to use"
        case let .noTensors(file):
            return "\(file): the file holds no tensors"
        case let .unsupportedDType(file, tensor, dtype, allowed):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); expected \(allowed.joined(separator: " or "))"
        }
    }
}
