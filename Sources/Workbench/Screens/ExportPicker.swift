import TUIKit

/// The export picker (`e`): the targets with who reads each, the outlier handling for the checkpoint formats,
/// and the export under way (a gauge) or what the last one said (where it wrote, or why it could not).
struct ExportPicker {
    var view: ExportView

    /// Lines kept for the gauge or the last export's outcome.
    static let outcomeLines = 4

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let g = palette.glyphs
        let wanted = view.targets.count * 2 + 3 + Self.outcomeLines
        let size = Size(width: min(96, buffer.size.width - 4), height: min(wanted + 2, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Export " + g.dot + " the run as it is now", on: &buffer, palette: palette)
        let footer = 2 + Self.outcomeLines
        let perPage = max(1, (inner.height - footer) / 2)
        let first = Table.offset(keeping: view.choice, visible: perPage, offset: 0, count: view.targets.count)
        for (i, target) in view.targets.enumerated().dropFirst(first).prefix(perPage) {
            let y = inner.y + (i - first) * 2
            let chosen = i == view.choice
            if chosen { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 2), with: .blank(palette.selected)) }
            let base = chosen ? palette.selected : palette.main
            buffer.put((chosen ? g.pointer : " ") + " " + target.name, at: Point(x: inner.x, y: y), style: base.with(.bold), maxWidth: inner.width)
            buffer.put("    " + target.detail, at: Point(x: inner.x, y: y + 1), style: chosen ? base : palette.style(.hiFg), maxWidth: inner.width)
        }
        var y = inner.maxY - footer
        if view.outlierHandling.indices.contains(view.outliers), view.targets.indices.contains(view.choice) {
            let handling = view.outlierHandling[view.outliers]
            let applies = view.choiceTakesOutliers
            let text = " outliers  < \(handling.name) >  " + (applies ? handling.detail : "\(view.targets[view.choice].name): outliers are kept as they are")
            buffer.put(text, at: Point(x: inner.x, y: y), style: applies ? palette.main : palette.style(.inactiveFg), maxWidth: inner.width)
        }
        y += 1
        if let running = view.running {
            Gauge(fraction: running.fraction, label: "writing \(running.target)" + g.ellipsis, barWidth: min(24, inner.width / 4))
                .draw(in: Rect(x: inner.x + 1, y: y, width: inner.width - 1, height: 1), on: &buffer, palette: palette)
        } else if let outcome = view.outcome {
            let style = palette.style(view.failed ? .warningFg : .graphText)
            for (i, line) in Text.wrap(outcome, width: inner.width - 2).prefix(Self.outcomeLines).enumerated() {
                buffer.put(line, at: Point(x: inner.x + 1, y: y + i), style: style, maxWidth: inner.width - 1)
            }
        }
        buffer.put("\(g.up)\(g.down) choose  \(Key.left.label(g))\(Key.right.label(g)) outliers  \(g.enter) export  Esc close", at: Point(x: inner.x + 1, y: inner.maxY - 1),
                   style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }
}
