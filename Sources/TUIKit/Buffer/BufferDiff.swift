/// A run of changed cells on one row sharing a style: what a backend writes with one call.
public struct DrawRun: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var style: Style
    /// The graphemes of the run (wide characters once; their continuation cells are implied).
    public var text: String
}

extension CellBuffer {
    /// The runs that turn `previous` into this buffer. A nil or differently sized `previous` gives the
    /// whole buffer. A wide character is redrawn whole when either of its halves changed.
    public func diff(from previous: CellBuffer?) -> [DrawRun] {
        let full = previous == nil || previous!.size != size
        var runs: [DrawRun] = []
        let w = size.width
        for y in 0..<size.height {
            var current: DrawRun? = nil
            var x = 0
            while x < w {
                let i = y * w + x
                let cell = cells[i]
                let span = (x + 1 < w && cells[i + 1].isContinuation) ? 2 : 1
                var changed = full
                if !changed, let p = previous {
                    changed = p.cells[i] != cell || (span == 2 && p.cells[i + 1] != cells[i + 1])
                        || (span == 1 && x + 1 < w && p.cells[i + 1].isContinuation)
                }
                if cell.isContinuation {
                    // An orphan continuation (its lead was overwritten) is drawn as a space.
                    if changed { append(&current, &runs, x: x, y: y, Cell(" ", style: cell.style)) }
                    x += 1
                    continue
                }
                if changed {
                    append(&current, &runs, x: x, y: y, cell)
                } else if let c = current {
                    runs.append(c)
                    current = nil
                }
                x += span
            }
            if let c = current { runs.append(c) }
        }
        return runs
    }

    private func append(_ current: inout DrawRun?, _ runs: inout [DrawRun], x: Int, y: Int, _ cell: Cell) {
        if var c = current, c.style == cell.style, c.x + CharWidth.of(c.text) == x {
            c.text += cell.symbol
            current = c
            return
        }
        if let c = current { runs.append(c) }
        current = DrawRun(x: x, y: y, style: cell.style, text: cell.symbol)
    }
}
