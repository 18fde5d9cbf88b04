import TUIKit
import Engine

/// Full-precision outliers per layer (bars in model order) and the codes changed per sweep of the
/// selected layer, with the run's latest warning; codebook usage instead when the selected layer's
/// method has codebooks.
struct OutlierPanel {
    var run: RunState
    var selected: RunState.LayerRow?
    var palette: Palette

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        if let row = selected, let last = row.sweeps.last, !last.codebooks.isEmpty {
            return CodebookPanel(layer: row.info.name, progress: last, palette: palette).draw(in: rect, on: &buffer)
        }
        let dot = " " + palette.glyphs.dot + " "
        let inner = Box(title: "Outliers per layer" + dot + "codes changed").draw(in: rect, on: &buffer, palette: palette)
        guard inner.height >= 2, inner.width >= 10 else { return }
        let text = palette.style(.graphText)
        var y = inner.y
        let outliers = run.layers.map { Double($0.summary?.outliers ?? $0.sweeps.last?.outliers ?? 0) }
        let maxOutliers = Int(outliers.max() ?? 0)
        var line = "outliers" + dot + "max \(maxOutliers)"
        if let row = selected {
            let n = row.summary?.outliers ?? row.sweeps.last?.outliers ?? 0
            let share = Double(n) / Double(max(1, row.info.rows * row.info.cols)) * 100
            line += dot + "selected \(n) (" + Text.fixed(share, 2) + "%)"
        }
        buffer.put(line, at: Point(x: inner.x + 1, y: y), style: text, maxWidth: inner.width - 1)
        y += 1
        let barRows = max(1, min(2, (inner.maxY - y - 2) / 2))
        if y + barRows <= inner.maxY {
            Sparkline(values: outliers, gradient: .util)
                .draw(in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: barRows), on: &buffer, palette: palette)
            y += barRows
        }
        if let row = selected, y + 1 < inner.maxY {
            let changed = row.sweeps.compactMap { $0.codesChanged.map(Double.init) }
            let lastChanged = row.sweeps.last?.codesChanged.map { "\($0)" } ?? "-"
            buffer.put("codes changed per sweep" + dot + "last " + lastChanged, at: Point(x: inner.x + 1, y: y), style: text, maxWidth: inner.width - 1)
            y += 1
            let rows = max(1, min(barRows, inner.maxY - y - (run.warnings.isEmpty ? 0 : 1)))
            Sparkline(values: changed, gradient: .objective)
                .draw(in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: rows), on: &buffer, palette: palette)
            y += rows
        }
        if let w = run.errors.last ?? run.warnings.last, y < inner.maxY {
            let key: ThemeKey = run.errors.isEmpty ? .warningFg : .failedFg
            buffer.put(Text.truncate(w, to: inner.width - 1, ellipsis: palette.glyphs.ellipsis), at: Point(x: inner.x + 1, y: inner.maxY - 1),
                       style: palette.style(key))
        }
    }
}
