import ModelKit
import Foundation

/// The outcome of one layer solve, printed as one JSON line by `quantbench solve`.
public struct LayerSolveReport: Sendable, Equatable, Codable {
    /// `rtn`, `gptq`, `quantease` or `quantease-outlier`.
    public var method: String
    public var bits: Int
    /// W's shape `[out, in]`.
    public var shape: [Int]
    /// `tr(ΔΣΔᵀ)/tr(WΣWᵀ)` of the deployed weight (grid + outliers), fp64.
    public var relErr: Double
    /// Storage cost per weight: codes, grid overhead and outliers.
    public var bitsPerWeight: Double
    /// Solver wall time.
    public var seconds: Double
    /// Full-precision outliers kept.
    public var outliers: Int
    /// What the user should know (damping raised, dead columns, cancellation, …).
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case method, bits, shape
        case relErr = "rel_err"
        case bitsPerWeight = "bits_per_weight"
        case seconds, outliers, notes
    }

    /// The report as one line of JSON, keys in the order above (`JSONEncoder` does not keep key order).
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let fields: [(CodingKeys, String)] = [
            (.method, try json(method)), (.bits, try json(bits)), (.shape, try json(shape)), (.relErr, try json(relErr)),
            (.bitsPerWeight, try json(bitsPerWeight)), (.seconds, try json(seconds)), (.outliers, try json(outliers)),
            (.notes, try json(notes)),
        ]
        return "{" + fields.map { "\"\($0.0.rawValue)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
