/// The report page's inline style sheet: a fluid page (up to 1880 px) of cards in a grid, readable tables,
/// chart text and line styles that scale down with their card, print-friendly.
enum HTMLStyle {
    static let css = """
    body { font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; margin: 24px auto; max-width: 1880px; padding: 0 16px; background: #fafafa; }
    h1 { font-size: 22px; margin-bottom: 4px; overflow-wrap: anywhere; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 590px), 1fr)); gap: 12px; align-items: start; }
    .card { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 12px; min-width: 0; box-sizing: border-box; }
    .card.wide, .card[data-card="heatmap"], .card[data-card="comparison chart"], .card[data-card="outliers"] { grid-column: 1 / -1; }
    .card h2 { margin-top: 0; }
    table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; overflow-wrap: anywhere; }
    .card.wide table { width: 100%; }
    th { background: #f5f5f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.facts th { background: none; font-weight: 600; overflow-wrap: normal; }
    tr.failed td { color: #b00020; } tr.pending td, tr.cancelled td, tr.solving td { color: #888; }
    .banner { padding: 8px 12px; border-radius: 4px; background: #fff4e5; border: 1px solid #f0b060; font-weight: 600; }
    svg { display: block; max-width: 100%; height: auto; background: #fff; } .charts svg { width: 100%; }
    svg text { font: 11px "DejaVu Sans", sans-serif; fill: #333; }
    svg .chart-title { font-weight: 600; } svg .axis-title { fill: #555; } svg .group-heading { font-weight: 600; }
    svg .axis-line, svg .tick { stroke: #444; } svg .grid { stroke: #eee; }
    svg .cell-value { font-size: 9px; } svg .cell-value.dark { fill: #fff; }
    pre { background: #f7f7f7; padding: 10px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
    code { font-family: "DejaVu Sans Mono", monospace; }
    """
}
