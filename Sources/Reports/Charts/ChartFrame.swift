/// A chart's size and the rectangle its plot occupies inside the margins.
struct ChartFrame {
    var width: Double
    var height: Double
    var left: Double, right: Double, top: Double, bottom: Double

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Series colours, the run's own result first (`SeriesColors` gives each role its colour).
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func color(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }

    /// The width of a text label of `characters` at the report's 11 px font, generously (DejaVu Sans
    /// averages about 6 px a character on mixed text).
    static func textWidth(_ characters: Int) -> Double { Double(characters) * 6.6 }

    /// `text` cut to fit `width` at the 11 px font, ending in `…` when cut.
    static func fit(_ text: String, width: Double) -> String {
        guard textWidth(text.count) > width else { return text }
        let keep = max(1, Int(width / textWidth(1)) - 1)
        return String(text.prefix(keep)) + "…"
    }
}
