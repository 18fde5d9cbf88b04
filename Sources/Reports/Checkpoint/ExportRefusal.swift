/// Why a run cannot be written in a format exactly, and the nearest choice that works. Export never
/// approximates silently: whatever a format cannot hold is refused with this.
public struct ExportRefusal: Error, CustomStringConvertible, Sendable {
    public let format: CheckpointFormat
    /// The layer it is about, if one.
    public let layer: String?
    public let reason: String
    /// What to do instead, e.g. `use --format gptq (it takes any bit width per layer)`.
    public let instead: String

    public init(_ format: CheckpointFormat, layer: String? = nil, _ reason: String, instead: String) {
        self.format = format
        self.layer = layer
        self.reason = reason
        self.instead = instead
    }

    public var description: String {
        "cannot export as \(format.rawValue)\(layer.map { " (\($0))" } ?? ""): \(reason); \(instead)"
    }
}
