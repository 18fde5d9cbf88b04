import TUIKit
import Engine
import QuantCore

/// Codebook utilisation of the selected layer's latest report (methods with codebooks, e.g. AQLM): per
/// codebook, the codes ranked by use as bars (a flat tail is dead codes), dead codes x/K, usage entropy
/// H/B bits and the mass of the most used 1% of codes.
struct CodebookPanel {
    var layer: String
    var progress: SolverProgress
    var palette: Palette

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        let g = palette.glyphs
        let dot = " " + g.dot + " "
        let inner = Box(title: "Codebooks" + dot + layer, trailing: "step \(progress.step)/\(progress.totalSteps)")
            .draw(in: rect, on: &buffer, palette: palette)
        guard inner.height >= 2, inner.width >= 10 else { return }
        let books = progress.codebooks
        let perBook = max(2, min(4, inner.height / books.count))
        let fitting = min(books.count, inner.height / perBook)
        let shown = fitting < books.count ? max(1, (inner.height - 1) / perBook) : books.count
        let text = palette.style(.graphText)
        for (i, book) in books.prefix(shown).enumerated() {
            let y = inner.y + i * perBook
            let k = book.counts.count
            let line = "cb\(i)" + dot + "dead \(book.deadCodes)/\(k)" + dot + "H " + Text.fixed(book.entropy, 2) + "/\(book.bits) bits"
                + dot + "top 1% " + Text.fixed(book.topOnePercentMass * 100, 1) + "%"
            buffer.put(line, at: Point(x: inner.x + 1, y: y), style: book.deadCodes > 0 ? palette.style(.warningFg) : text, maxWidth: inner.width - 1)
            let width = inner.width - 2
            Sparkline(values: Self.ranked(book.counts, width: width), gradient: .util)
                .draw(in: Rect(x: inner.x + 1, y: y + 1, width: width, height: perBook - 1), on: &buffer, palette: palette)
        }
        if shown < books.count {
            buffer.put("+\(books.count - shown) more codebooks", at: Point(x: inner.x + 1, y: inner.maxY - 1), style: palette.style(.inactiveFg),
                       maxWidth: inner.width - 1)
        }
    }

    /// The counts sorted from most to least used, averaged into at most `width` bars (dead codes stay
    /// zero at the right end).
    static func ranked(_ counts: [Int], width: Int) -> [Double] {
        let sorted = counts.sorted(by: >).map(Double.init)
        guard width > 0, sorted.count > width else { return sorted }
        return (0..<width).map { b in
            let lo = b * sorted.count / width, hi = (b + 1) * sorted.count / width
            return sorted[lo..<hi].reduce(0, +) / Double(hi - lo)
        }
    }
}
