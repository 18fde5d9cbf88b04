import TUIKit
import Engine
import QuantCore

/// The method panel: every setting of the chosen solver, the resulting bits per weight on the selected
/// layer as the values change, and the summary the engine will run (or why it cannot).
struct MethodPanel {
    var state: AppState
    var run: RunState

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let d = state.method
        let fields = MethodField.fields(for: d)
        let size = Size(width: min(72, buffer.size.width - 4), height: min(fields.count + 7, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Method", on: &buffer, palette: palette)
        guard inner.height >= 4 else { return }
        let listHeight = inner.height - 4
        let first = Table.offset(keeping: state.field, visible: listHeight, offset: 0, count: fields.count)
        // The label column fits the longest label of any method (`bits per codebook (B)`), up to half the
        // panel, so the values stay in one column when the method changes.
        let labels = MethodSchema.settings.map(\.label) + fields.map(\.label)
        let labelWidth = min(inner.width / 2, labels.map(CharWidth.of).max() ?? 0)
        let valueX = inner.x + labelWidth + 3
        for (i, f) in fields.enumerated().dropFirst(first).prefix(listHeight) {
            let y = inner.y + i - first
            let isSelected = i == state.field
            let style = isSelected ? palette.selected : palette.main
            if isSelected { buffer.fill(inner.row(i - first), with: .blank(palette.selected)) }
            buffer.put((isSelected ? palette.glyphs.pointer : " ") + " " + Text.pad(f.label, to: labelWidth), at: Point(x: inner.x, y: y), style: style)
            let arrows = palette.glyphs.unicode ? ("◂ ", " ▸") : ("< ", " >")
            let value = isSelected ? arrows.0 + f.value(d) + arrows.1 : "  " + f.value(d)
            buffer.put(value, at: Point(x: valueX, y: y), style: isSelected ? palette.selected : palette.style(.hiFg), maxWidth: inner.maxX - valueX)
            // The selected setting's range and default, from the schema.
            if isSelected, case let .setting(key) = f, let setting = MethodSchema.setting(key) {
                let x = valueX + CharWidth.of(value) + 2
                buffer.put(setting.type.expected + ", default " + setting.display(setting.defaultValue), at: Point(x: x, y: y),
                           style: palette.selected.with(.dim), maxWidth: inner.maxX - x)
            }
        }
        let row = run.layers.indices.contains(state.selected) ? run.layers[state.selected] : nil
        var y = inner.maxY - 3
        if let row, let bits = d.effectiveBits(rows: row.info.rows, cols: row.info.cols) {
            buffer.put("bits/weight " + Text.fixed(bits, 3) + " on \(row.info.name) (\(row.info.rows)\(palette.glyphs.times)\(row.info.cols))",
                       at: Point(x: inner.x + 1, y: y), style: palette.style(.title).with(.bold), maxWidth: inner.width - 1)
        }
        y += 1
        let valid = (try? d.build()) != nil
        buffer.put(d.summary, at: Point(x: inner.x + 1, y: y), style: palette.style(valid ? .graphText : .failedFg), maxWidth: inner.width - 1)
        y += 1
        let g = palette.glyphs
        buffer.put("\(g.up)\(g.down) field  \(Key.left.label(g))\(Key.right.label(g)) value  \(g.enter) solve layer  Esc close",
                   at: Point(x: inner.x + 1, y: y), style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }
}
