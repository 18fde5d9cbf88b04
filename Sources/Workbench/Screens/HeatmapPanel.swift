import TUIKit
import Engine

/// The error heatmap panel: rel_err of every layer as blocks × layer kinds, or (`w`) the selected layer's
/// weighted-error map. With the keyboard focus (Tab) its border and title show it and a cursor marks a
/// cell, which the legend line reads out.
struct HeatmapPanel {
    var state: AppState
    var run: RunState

    var palette: Palette { state.palette }
    var dot: String { " " + palette.glyphs.dot + " " }
    var focused: Bool { state.focus == .heatmap }

    var selectedRow: RunState.LayerRow? {
        run.layers.indices.contains(state.selected) ? run.layers[state.selected] : nil
    }

    /// What a click at `p` lands on: a layer of the blocks view, or a cell of the layer's map.
    enum Hit: Equatable {
        case layer(Int)
        case cell(MapCell)
    }

    func hit(_ p: Point, in rect: Rect) -> Hit? {
        let inner = rect.inset(1)
        if state.heatmapView == .layer { return mapGrid(in: rect)?.cell(at: p).map(Hit.cell) }
        let grid = BlockGrid(run: run)
        guard let cell = blocksHeatmap(grid).cell(at: p, in: inner), let layer = grid.layers[cell.row][cell.column] else { return nil }
        return .layer(layer)
    }

    /// The grid of the selected layer's map as drawn in the panel `rect`; nil without a map.
    func mapGrid(in rect: Rect) -> ErrorMapView.Grid? { mapView?.grid(in: rect.inset(1)) }

    private var mapView: ErrorMapView? {
        guard let row = selectedRow, let map = row.summary?.errorMap else { return nil }
        return ErrorMapView(map: map, cursor: focused ? state.mapCursor : nil, shape: (row.info.rows, row.info.cols))
    }

    private func blocksHeatmap(_ grid: BlockGrid) -> Heatmap {
        let values = grid.layers.map { $0.map { $0.flatMap { run.layers[$0].summary?.relErr } } }
        let highlight = grid.position(of: state.selected)
        var readout: String? = nil
        if focused, let row = selectedRow {
            readout = row.info.name + dot + (row.summary.map { "rel_err " + Text.scientific($0.relErr) } ?? "not solved yet")
        }
        return Heatmap(rowLabels: (0..<grid.blocks).map(String.init), columnLabels: grid.kinds.map(LayerNames.abbreviate), values: values,
                       highlight: highlight, cursor: focused ? highlight : nil, readout: readout)
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        if state.heatmapView == .layer { return drawLayerMap(rect, on: &buffer) }
        let inner = Box(title: "Error heatmap" + dot + "blocks " + palette.glyphs.times + " layers", focused: focused).draw(in: rect, on: &buffer, palette: palette)
        blocksHeatmap(BlockGrid(run: run)).draw(in: inner, on: &buffer, palette: palette)
    }

    /// The selected layer's weighted-error map, or why there is none.
    private func drawLayerMap(_ rect: Rect, on buffer: inout CellBuffer) {
        let name = selectedRow?.info.name ?? "no layer"
        let inner = Box(title: "Weighted error" + dot + name + dot + "out " + palette.glyphs.times + " in", focused: focused).draw(in: rect, on: &buffer, palette: palette)
        if let view = mapView {
            view.draw(in: inner, on: &buffer, palette: palette)
        } else {
            let why = selectedRow?.summary == nil ? "the layer is not solved yet" : "no map for this layer (its Σ was too large for the exact objective, or it was kept from an earlier run)"
            buffer.put(why, at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
        }
    }
}
