/// A QDEC sweep asked of a running job: `settings` over the layers quantized so far. `id` tells the events
/// of one request from an earlier one's.
public struct CompensationRequest: Sendable, Equatable {
    public var id: Int
    public var settings: CompensationSettings

    public init(id: Int, settings: CompensationSettings = CompensationSettings()) {
        self.id = id
        self.settings = settings
    }

    /// Points a whole sweep holds (budget 0 counts once per selection, though it is evaluated once).
    public var points: Int { settings.kChunks.count * settings.selections.count }
}

/// Why a QDEC sweep cannot run on the work now: no layer is quantized yet, the model does not keep its
/// quantized weights, or there is no model to compensate.
public struct CompensationUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    /// The reason before the run has solved a layer.
    public static let nothingQuantized = CompensationUnavailable(reason: "no layer is quantized yet")

    public var description: String { reason }
}
