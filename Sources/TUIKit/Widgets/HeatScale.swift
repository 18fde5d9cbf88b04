/// How heat cells look at a palette's colour depth: on monochrome, 8 and 16 colours (and with a theme of
/// palette entries) shade glyphs tinted along the theme's `heat` gradient; on 256-colour and truecolor
/// terminals background colours over `rampLevels` steps of the same gradient. The legend draws the scale.
///
/// ```swift
/// let scale = HeatScale(palette: palette, shadeLevels: 4)
/// buffer.set(x, y, scale.cell(scale.level(0.01, range: (0.001, 0.1))))
/// ```
public struct HeatScale: Sendable {
    /// Steps of the colour ramp.
    public static let rampLevels = 16
    public let levels: Int
    /// Whether cells are background colours (else shade glyphs).
    public let ramp: Bool
    let colors: [Color]
    let shades: [String]
    let background: Color
    let foreground: Color

    /// `shadeLevels` steps when the terminal draws shades (each glyph covers `shadeLevels / 4` of them).
    public init(palette: Palette, shadeLevels: Int) {
        let rampColors = palette.gradient(.heat, steps: Self.rampLevels)
        ramp = (palette.depth == .truecolor || palette.depth == .palette256) && Set(rampColors).count >= Self.rampLevels / 2
        levels = ramp ? Self.rampLevels : max(1, shadeLevels)
        colors = ramp ? rampColors : palette.gradient(.heat, steps: levels)
        shades = Array(palette.glyphs.shades.dropFirst())
        background = palette[.mainBg]
        foreground = palette[.title]
    }

    /// The level 0…(levels-1) of `v` on the log scale of `range`.
    public func level(_ v: Double, range: (lo: Double, hi: Double)) -> Int { Heatmap.level(v, range: range, levels: levels) }

    /// A cell of `level`.
    public func cell(_ level: Int) -> Cell {
        let l = min(levels - 1, max(0, level))
        return ramp ? Cell(" ", style: Style(fg: foreground, bg: colors[l])) : Cell(shades[l * shades.count / levels], style: Style(fg: colors[l], bg: background))
    }

    /// `symbol` (a cursor mark) drawn over a cell of `level` (nil: a cell without a value), bold.
    public func mark(_ symbol: String, over level: Int?) -> Cell {
        let bg = ramp ? level.map { colors[min(levels - 1, max(0, $0))] } ?? background : background
        return Cell(symbol, style: Style(fg: foreground, bg: bg, attributes: [.bold]))
    }

    /// The legend's steps in `width` leaving `reserve` columns: every shade, or the ramp sampled down to 4.
    func legendSteps(width: Int, reserve: Int) -> Int { ramp ? min(levels, max(4, width - 9 - reserve)) : levels }

    /// Draws `text` after the legend `low ░▒▓█ high` at `p` within `width`, the ramp sampled down to leave
    /// it room. A `whole` text (a cursor's readout) that the smallest legend would cut shows alone.
    public func drawLegend(at p: Point, width: Int, text: String, style: Style, whole: Bool, on buffer: inout CellBuffer, palette: Palette) {
        let reserve = CharWidth.of(text) + 2
        if whole, 9 + legendSteps(width: width, reserve: reserve) + reserve > width {
            buffer.put(text, at: p, style: style, maxWidth: width)
            return
        }
        let used = drawLegend(at: p, width: width, reserve: reserve, on: &buffer, palette: palette)
        buffer.put("  " + text, at: Point(x: p.x + used, y: p.y), style: style, maxWidth: width - used)
    }

    /// Draws `low ░▒▓█ high` at `p` within `width`, the ramp sampled down to leave `reserve` columns after
    /// it; returns the width used.
    @discardableResult
    public func drawLegend(at p: Point, width: Int, reserve: Int = 0, on buffer: inout CellBuffer, palette: Palette) -> Int {
        let text = palette.style(.graphText)
        var x = p.x
        x += buffer.put("low ", at: Point(x: x, y: p.y), style: text, maxWidth: width)
        let steps = legendSteps(width: width, reserve: reserve)
        for i in 0..<steps where x < p.x + width {
            buffer.set(x, p.y, cell(steps > 1 ? i * (levels - 1) / (steps - 1) : 0))
            x += 1
        }
        x += buffer.put(" high", at: Point(x: x, y: p.y), style: text, maxWidth: max(0, p.x + width - x))
        return x - p.x
    }
}
