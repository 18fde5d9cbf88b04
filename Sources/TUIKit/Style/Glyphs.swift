/// How charts draw their marks: braille dots (2×4 per cell), block eighths, or plain ASCII.
public enum ChartMarker: String, Sendable, CaseIterable {
    case braille, block, ascii

    /// The next marker in the cycle the `b` key walks.
    public var next: ChartMarker { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }
}

/// The characters screens draw with: Unicode when the locale is UTF-8, ASCII otherwise (under `LC_ALL=C`
/// ncurses prints non-ASCII characters as blanks).
public struct GlyphSet: Sendable, Equatable {
    public var horizontal: String, vertical: String
    public var topLeft: String, topRight: String, bottomLeft: String, bottomRight: String
    public var pointer: String, ellipsis: String, dash: String
    /// The separator between facts (` · `) and the dimension sign (`384×384`).
    public var dot: String, times: String
    /// Eight bar heights, lowest first (a sparkline, block charts).
    public var bars: [String]
    /// Shades from empty to full (heatmap cells, the gauge).
    public var shades: [String]
    public var gaugeFull: String, gaugeEmpty: String
    public var enter: String, up: String, down: String
    /// A chart's marks for values above and below its axis (clipped at the edge).
    public var clipAbove: String, clipBelow: String
    /// Whether braille charts are possible.
    public var unicode: Bool

    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        pointer: "▸", ellipsis: "…", dash: "╌", dot: "·", times: "×",
        bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], shades: [" ", "░", "▒", "▓", "█"], gaugeFull: "█", gaugeEmpty: "░",
        enter: "⏎", up: "↑", down: "↓", clipAbove: "▴", clipBelow: "▾", unicode: true)

    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        pointer: ">", ellipsis: "~", dash: "-", dot: "-", times: "x",
        bars: ["_", "_", ".", ".", "-", "=", "*", "#"], shades: [" ", ".", ":", "*", "#"], gaugeFull: "#", gaugeEmpty: ".",
        enter: "Enter", up: "Up", down: "Dn", clipAbove: "^", clipBelow: "v", unicode: false)
}
