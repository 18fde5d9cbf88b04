import TUIKit
import Engine

/// The layer table's order and filter, the heatmap cursor, and clicks on either panel.
extension App {
    /// Moves the selection `delta` rows in the table's display order (among the rows shown).
    static func moveInTable(_ s: inout AppState, by delta: Int, run: RunState) {
        let rows = s.tableRows(run)
        guard !rows.isEmpty else { return }
        let position = rows.firstIndex(of: s.selected).map { $0 + delta } ?? (delta < 0 ? rows.count - 1 : 0)
        select(&s, rows[clamp(position, rows.count)], run: run)
    }

    /// `v` next order, `V` reversed, `W` worst first; the selected layer stays selected.
    static func sort(_ action: Action, _ s: inout AppState, run: RunState) {
        switch action {
        case .sortNext:
            s.table.order = s.table.order.next
            s.table.reversed = false
        case .sortReverse: s.table.reversed.toggle()
        default:
            s.table.order = .relErr
            s.table.reversed = false
        }
        s.message = "table " + (s.table.label(s.palette.glyphs) ?? "in run order")
        keepSelectionVisible(&s, run: run)
    }

    /// The filter prompt: ⏎ applies the glob (the selection moves to the first row shown if its layer is
    /// filtered out), Esc clears it.
    static func filterPrompt(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        switch action {
        case .apply:
            s.table.filter = s.table.draft
            s.screen = .main
            let rows = s.tableRows(run)
            if s.table.filter.isEmpty {
                s.message = "filter cleared"
            } else if rows.isEmpty {
                s.message = "no layer matches \(s.table.filter)"
            } else {
                s.message = "filter \(s.table.filter): \(rows.count) of \(run.layers.count) layers"
                if !rows.contains(s.selected) { select(&s, rows[0], run: run) }
            }
            keepSelectionVisible(&s, run: run)
        case .close:
            if !s.table.filter.isEmpty { s.message = "filter cleared" }
            s.table.filter = ""
            s.table.draft = ""
            s.screen = .main
            keepSelectionVisible(&s, run: run)
        case .erase: s.table.draft = String(s.table.draft.dropLast())
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    /// The heatmap cursor: in the blocks view it is the selected layer (the table follows); in the
    /// layer's map a cell.
    static func moveCursor(_ s: inout AppState, rows: Int, columns: Int, run: RunState) {
        if s.heatmapView == .blocks {
            if let next = BlockGrid(run: run).step(from: s.selected, rows: rows, columns: columns) { select(&s, next, run: run) }
        } else if let grid = HeatmapPanel(state: s, run: run).mapGrid(in: layout(s, run).heatmap) {
            let at = grid.clamp(s.mapCursor)
            s.mapCursor = grid.clamp(MapCell(row: at.row + rows, column: at.column + columns))
        }
    }

    /// A click selects the table row under it, or moves the heatmap cursor to the cell (in the blocks
    /// view selecting its layer); the panel clicked takes the focus.
    static func click(_ s: inout AppState, at p: Point, run: RunState) {
        let layout = layout(s, run)
        let area = layout.tableRows
        if area.contains(x: p.x, y: p.y) {
            let rows = s.tableRows(run)
            let first = Table.offset(keeping: rows.firstIndex(of: s.selected) ?? 0, visible: area.height, offset: s.scroll, count: rows.count)
            let i = first + (p.y - area.y)
            guard rows.indices.contains(i) else { return }
            s.focus = .table
            select(&s, rows[i], run: run)
        } else if let hit = HeatmapPanel(state: s, run: run).hit(p, in: layout.heatmap) {
            s.focus = .heatmap
            switch hit {
            case let .layer(i): select(&s, i, run: run)
            case let .cell(c): s.mapCursor = c
            }
        }
    }
}
