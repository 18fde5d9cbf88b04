/// The labels of a chart's levels and dashed curves, placed after everything else is drawn: each goes
/// on its own row when that is free, else on the nearest row where it hides the least — never over
/// another label, and over another level's line only when nothing else is left. Lines never move.
struct ChartLabels {
    let plot: Rect
    let dash: String
    private var wanted: [(text: String, row: Int, style: Style)] = []
    private var levelRows: [Int: Int] = [:]

    init(plot: Rect, dash: String) {
        self.plot = plot
        self.dash = dash
    }

    /// A label that belongs on plot row `row`.
    mutating func want(_ text: String, row: Int, style: Style) { wanted.append((text, row, style)) }

    /// A level's line lies on plot row `row`.
    mutating func level(row: Int) { levelRows[row, default: 0] += 1 }

    /// How far a label may move from its row.
    static let reach = 3
    /// Costs of a placement: per row moved, per curve cell hidden, per cell of another level's line hidden.
    static let moveCost = 8, curveCost = 3, levelCost = 40

    /// Puts every label where it costs least (labels wider than the plot are cut).
    func place(on buffer: inout CellBuffer, ellipsis: String) {
        var taken: [Int: [Range<Int>]] = [:]
        for label in wanted {
            let text = Text.truncate(label.text, to: plot.width, ellipsis: ellipsis)
            let w = CharWidth.of(text)
            guard w > 0 else { continue }
            var best: (cost: Int, row: Int, x: Int)? = nil
            for row in max(0, label.row - Self.reach)...min(plot.height - 1, label.row + Self.reach) {
                let costs = cellCosts(row: row, own: row == label.row, buffer)
                var prefix = [0]
                for c in costs { prefix.append(prefix[prefix.count - 1] + c) }
                let moved = abs(row - label.row) * Self.moveCost
                for x in 0...(plot.width - w) {
                    let span = plot.x + x..<plot.x + x + w
                    if taken[row, default: []].contains(where: { $0.overlaps(span) }) { continue }
                    let cost = moved + prefix[x + w] - prefix[x]
                    if best == nil || cost < best!.cost { best = (cost, row, x) }
                }
            }
            guard let best else { continue }
            let x = plot.x + best.x
            buffer.put(text, at: Point(x: x, y: plot.y + best.row), style: label.style, maxWidth: w)
            taken[best.row, default: []].append(x..<x + w)
        }
    }

    /// What hiding each cell of a plot row costs: nothing for a blank or a dash of the label's own row,
    /// more for a curve, most for another level's line.
    private func cellCosts(row: Int, own: Bool, _ buffer: CellBuffer) -> [Int] {
        let otherLevels = (levelRows[row] ?? 0) - (own ? 1 : 0) > 0
        return (plot.x..<plot.maxX).map { x in
            let symbol = buffer[x, plot.y + row]?.symbol ?? " "
            if symbol == " " { return 0 }
            if symbol == dash { return otherLevels ? Self.levelCost : 0 }
            return Self.curveCost
        }
    }
}
