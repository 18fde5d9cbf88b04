import TUIKit
import Engine

/// The error heatmap panel: rel_err of every layer as blocks × layer kinds, or (`w`) the selected layer's
/// weighted-error map.
struct HeatmapPanel {
    var state: AppState
    var run: RunState

    var palette: Palette { state.palette }
    var dot: String { " " + palette.glyphs.dot + " " }

    var selectedRow: RunState.LayerRow? {
        run.layers.indices.contains(state.selected) ? run.layers[state.selected] : nil
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        if state.heatmapView == .layer { return drawLayerMap(rect, on: &buffer) }
        let inner = Box(title: "Error heatmap" + dot + "blocks " + palette.glyphs.times + " layers").draw(in: rect, on: &buffer, palette: palette)
        var kinds: [String] = []
        for l in run.layers where !kinds.contains(l.info.kind) { kinds.append(l.info.kind) }
        let blocks = run.info?.blocks ?? ((run.layers.map(\.info.block).max() ?? -1) + 1)
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: kinds.count), count: blocks)
        var highlight: (Int, Int)? = nil
        for (i, l) in run.layers.enumerated() {
            guard let k = kinds.firstIndex(of: l.info.kind), l.info.block >= 0, l.info.block < blocks else { continue }
            values[l.info.block][k] = l.summary?.relErr
            if i == state.selected { highlight = (l.info.block, k) }
        }
        Heatmap(rowLabels: (0..<blocks).map(String.init), columnLabels: kinds.map(LayerNames.abbreviate), values: values,
                highlight: highlight).draw(in: inner, on: &buffer, palette: palette)
    }

    /// The selected layer's weighted-error map, or why there is none.
    private func drawLayerMap(_ rect: Rect, on buffer: inout CellBuffer) {
        let name = selectedRow?.info.name ?? "no layer"
        let inner = Box(title: "Weighted error" + dot + name + dot + "out " + palette.glyphs.times + " in").draw(in: rect, on: &buffer, palette: palette)
        if let map = selectedRow?.summary?.errorMap {
            ErrorMapView(map: map).draw(in: inner, on: &buffer, palette: palette)
        } else {
            let why = selectedRow?.summary == nil ? "the layer is not solved yet" : "no map for this layer (its Σ was too large for the exact objective, or it was kept from an earlier run)"
            buffer.put(why, at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
        }
    }
}
