import TUIKit
import Engine

/// Where the parts of the main screen go for a terminal size; shared by rendering and by the reducer
/// (mouse clicks, page sizes), so a click lands on the row that is drawn there.
public struct MainLayout: Sendable, Equatable {
    /// The smallest terminal the workbench draws in; below it a "too small" screen shows.
    public static let minimum = Size(width: 80, height: 24)

    public var header: Rect
    public var progress: Rect
    public var table: Rect
    public var chart: Rect
    public var heatmap: Rect
    public var side: Rect
    public var status: Rect

    /// The layout for `state` on `run`: the left column as wide as the table's columns with the longest
    /// layer name need (and the layer's error map, when it shows), up to the proportional split; the
    /// charts get the rest.
    init(size: Size, state: AppState, run: RunState) {
        let mapWidth = state.heatmapView == .layer ? run.layers.map { 2 + String($0.info.rows).count + 1 + ($0.summary?.errorMap?.columns ?? 0) }.max() : nil
        self.init(size: size, blocks: run.info?.blocks ?? 0, tableWidth: run.layers.isEmpty ? nil : LayerTablePanel(state: state, run: run).neededWidth,
                  heatmapWidth: mapWidth)
    }

    /// `tableWidth` and `heatmapWidth` narrow the left column to what the wider of the two needs; without
    /// them the split is proportional.
    public init(size: Size, blocks: Int, tableWidth: Int? = nil, heatmapWidth: Int? = nil) {
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let rows = screen.splitRows([.fixed(1), .fixed(1), .fill(1), .fixed(1)])
        header = rows[0]
        progress = rows[1]
        status = rows[3]
        let body = rows[2]
        let heatHeight = min(max(7, blocks + 4), body.height / 2)
        let parts = body.splitRows([.fill(1), .fixed(heatHeight)])
        let proportional = max(46, size.width * 11 / 20)
        let needed = [tableWidth, heatmapWidth].compactMap { $0 }.max()
        let leftWidth = needed.map { max(46, min(proportional, $0)) } ?? proportional
        let top = parts[0].splitColumns([.fixed(leftWidth), .fill(1)])
        let bottom = parts[1].splitColumns([.fixed(leftWidth), .fill(1)])
        table = top[0]
        chart = top[1]
        heatmap = bottom[0]
        side = bottom[1]
    }

    /// Whether the size is below the minimum.
    public static func tooSmall(_ size: Size) -> Bool { size.width < minimum.width || size.height < minimum.height }

    /// Rows of the table that show layers (inside the border, below the header row).
    public var tableRows: Rect { Rect(x: table.x + 1, y: table.y + 2, width: table.width - 2, height: table.height - 3) }
}
