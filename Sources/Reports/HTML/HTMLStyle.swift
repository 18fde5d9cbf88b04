/// The report page's inline style sheet: readable tables, chart text and line styles, print-friendly.
enum HTMLStyle {
    static let css = """
    body { font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
    h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
    table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
    th { background: #f5f5f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.facts th { background: none; font-weight: 600; }
    tr.failed td { color: #b00020; } tr.pending td, tr.cancelled td, tr.solving td { color: #888; }
    .banner { padding: 8px 12px; border-radius: 4px; background: #fff4e5; border: 1px solid #f0b060; font-weight: 600; }
    .charts { display: flex; flex-wrap: wrap; gap: 12px; }
    svg { background: #fff; border: 1px solid #eee; }
    svg text { font: 11px "DejaVu Sans", sans-serif; fill: #333; }
    svg .chart-title { font-weight: 600; } svg .axis-title { fill: #555; } svg .group-heading { font-weight: 600; }
    svg .axis-line, svg .tick { stroke: #444; } svg .grid { stroke: #eee; }
    svg .cell-value { font-size: 9px; } svg .cell-value.dark { fill: #fff; }
    pre { background: #f7f7f7; padding: 10px; overflow-x: auto; }
    code { font-family: "DejaVu Sans Mono", monospace; }
    """
}
