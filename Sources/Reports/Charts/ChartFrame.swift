/// A chart's size and the rectangle its plot occupies inside the margins.
struct ChartFrame {
    var width: Double
    var height: Double
    var left: Double, right: Double, top: Double, bottom: Double

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Series colours, the run's own result first.
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func color(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }

    /// The width of a text label of `characters` at the report's 11 px font, roughly.
    static func textWidth(_ characters: Int) -> Double { Double(characters) * 6.6 }
}
