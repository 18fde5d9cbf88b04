import TUIKit

/// The recipe picker: the recipes of `Experiments/`, their description and method; ⏎ loads one.
struct RecipePicker {
    var recipes: [RecipeEntry]
    var selected: Int

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let size = Size(width: min(96, buffer.size.width - 4), height: min(recipes.count * 3 + 3, buffer.size.height - 2))
        let inner = overlay(size, in: buffer.bounds, title: "Recipes " + palette.glyphs.dot + " Experiments/", on: &buffer, palette: palette)
        let perPage = max(1, (inner.height - 1) / 3)
        let first = Table.offset(keeping: selected, visible: perPage, offset: 0, count: recipes.count)
        for (i, r) in recipes.enumerated().dropFirst(first).prefix(perPage) {
            let y = inner.y + (i - first) * 3
            let isSelected = i == selected
            if isSelected { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 2), with: .blank(palette.selected)) }
            let base = isSelected ? palette.selected : palette.main
            buffer.put((isSelected ? palette.glyphs.pointer : " ") + " " + r.name, at: Point(x: inner.x, y: y), style: base.with(.bold), maxWidth: inner.width)
            let detail = r.method.summary + (r.compare.isEmpty ? "" : " " + palette.glyphs.dot + " vs " + r.compare.map(\.name).joined(separator: ", "))
            buffer.put("  " + detail, at: Point(x: inner.x, y: y + 1), style: isSelected ? base : palette.style(.hiFg), maxWidth: inner.width)
            if !r.description.isEmpty, y + 2 < inner.maxY - 1 {
                buffer.put("  " + r.description, at: Point(x: inner.x, y: y + 2), style: palette.style(.graphText), maxWidth: inner.width)
            }
        }
        let g = palette.glyphs
        buffer.put("\(g.up)\(g.down) choose  \(g.enter) load the method  Esc close", at: Point(x: inner.x + 1, y: inner.maxY - 1),
                   style: palette.style(.inactiveFg), maxWidth: inner.width - 1)
    }
}
