/// The panel the arrows act on (`Tab` switches): the layer table, or the heatmap's cell cursor.
public enum Focus: Sendable, Equatable {
    case table, heatmap
}

/// A cell of the selected layer's weighted-error map as the panel shows it: row bin and input-channel group.
public struct MapCell: Sendable, Equatable {
    public var row = 0
    public var column = 0

    public init(row: Int = 0, column: Int = 0) {
        self.row = row
        self.column = column
    }
}
