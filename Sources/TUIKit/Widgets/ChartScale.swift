import Foundation

/// Which values a `LineChart`'s y axis spans (`z` in the workbench switches).
public enum ChartFit: String, Sendable, CaseIterable {
    /// The final values of the series of interest and the levels close to them; far-off levels and the
    /// early part of the curves leave through the edges, marked.
    case focus
    /// Every value of every series, widened to half decades.
    case all

    public var next: ChartFit { self == .focus ? .all : .focus }
    /// `fit: focus`, as the chart's legend says it.
    public var label: String { "fit: " + rawValue }
}

/// The y axis of a `LineChart`: a range in log₁₀ units (rel_err spans decades), where values land on it,
/// and its tick labels.
public struct ChartScale: Sendable, Equatable {
    public var lo: Double
    public var hi: Double

    public init(lo: Double, hi: Double) {
        self.lo = lo
        self.hi = hi
    }

    /// Levels (and final values) further than this from the focus, in decades (a factor of about 2.2), are
    /// outliers of the focus fit, like RTN beside GPTQ and QuantEase.
    static let focusGap = 0.35
    /// The narrowest focus range in decades (a factor of about 1.2), so one value alone still has an axis.
    static let focusMinSpan = 0.08

    /// The positive finite values.
    static func plottable(_ values: [Double]) -> [Double] { values.filter { $0 > 0 && $0.isFinite } }

    /// Every value of every series, widened to half decades; nil when there is nothing to plot.
    public static func all(_ series: [ChartSeries]) -> ChartScale? {
        let v = plottable(series.flatMap(\.values))
        guard let mn = v.min(), let mx = v.max() else { return nil }
        let lo = (2 * log10(mn)).rounded(.down) / 2, hi = (2 * log10(mx)).rounded(.up) / 2
        return ChartScale(lo: lo, hi: max(hi, lo + 0.5))
    }

    /// The focus fit: starting from the final value of the last focus curve (the current solve), the final
    /// values and levels of the other focus series that lie within `focusGap` of the ones taken so far,
    /// with a margin, at least `focusMinSpan` wide. Falls back to `all` when no focus series has a value.
    public static func focus(_ series: [ChartSeries]) -> ChartScale? {
        let focused = series.filter(\.focus)
        let finals = focused.compactMap { plottable($0.values).last.map(log10) }
        guard !finals.isEmpty else { return all(series) }
        let primary = focused.last { $0.kind == .line && !plottable($0.values).isEmpty }.flatMap { plottable($0.values).last.map(log10) }
        let sorted = finals.sorted()
        var a = primary ?? sorted[sorted.count / 2], b = a
        for v in sorted.reversed() where v < a && a - v <= focusGap { a = v }
        for v in sorted where v > b && v - b <= focusGap { b = v }
        let margin = max(0.12 * (b - a), 0.015)
        var lo = a - margin, hi = b + margin
        if hi - lo < focusMinSpan {
            let rest = focused.filter { $0.kind != .reference }.flatMap { plottable($0.values).map(log10) }
            // Widen toward the side where the rest of the focus curves lies (above, for a curve still descending),
            // as far as it goes, and evenly for what is left.
            let above = Double(rest.filter { $0 > hi }.count), below = Double(rest.filter { $0 < lo }.count)
            let up = above + below > 0 ? above / (above + below) : 0.5
            let missing = focusMinSpan - (hi - lo)
            let raise = min(missing * up, max(0, (rest.max() ?? hi) - hi + margin))
            let lower = min(missing * (1 - up), max(0, lo - (rest.min() ?? lo) + margin))
            let even = (missing - raise - lower) / 2
            (lo, hi) = (lo - lower - even, hi + raise + even)
        }
        return ChartScale(lo: lo, hi: hi)
    }

    public var span: Double { hi - lo }

    /// Where `v` lands on an axis of `rows` rows (0 at the top, fractional); nil for values the chart cannot
    /// plot. Values outside the range land before 0 or after `rows - 1`.
    public func position(_ v: Double, rows: Int) -> Double? {
        guard v > 0, v.isFinite else { return nil }
        return (hi - log10(v)) / span * Double(rows - 1)
    }

    /// Whether a position is on the axis (within half a row of its ends).
    static func onAxis(_ y: Double, rows: Int) -> Bool { y >= -0.5 && y < Double(rows) - 0.5 }

    /// Tick values with their labels, top first: half decades (`1e-2`, `3e-2`) over a decade or more, else
    /// round values (1, 2 or 5 × 10ⁿ steps, `0.017`, `0.0165`) about every three rows.
    public func ticks(rows: Int) -> [(value: Double, label: String)] {
        if span >= 1 {
            let first = (2 * hi).rounded(.down) / 2
            return stride(from: first, through: lo - 1e-9, by: -0.5).map { (pow(10, $0), Self.halfDecadeLabel($0)) }
        }
        let vlo = pow(10, lo), vhi = pow(10, hi)
        let step = Self.niceStep((vhi - vlo) / Double(max(2, rows / 3)))
        var out: [(Double, String)] = []
        var k = (vhi / step * (1 + 1e-9)).rounded(.down)
        while k * step >= vlo - step * 1e-9 {
            if k > 0 { out.append((k * step, Self.label(k * step, step: step))) }
            k -= 1
        }
        return out
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let e = pow(10, log10(raw).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * e }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * e
    }

    /// A tick value with as many digits as its step needs: `0.017`, `0.0165`, `4e-4`, `4.5e-4`.
    static func label(_ v: Double, step: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        if decimals <= 4 { return String(format: "%.\(decimals)f", v) }
        let e = Int(log10(v).rounded(.down))
        let digits = max(0, e - Int(log10(step).rounded(.down)))
        return String(format: "%.\(digits)f", v / pow(10, Double(e))) + "e\(e)"
    }

    /// The label of 10^t for a half-decade t: `1e-2`, `3e-2`.
    static func halfDecadeLabel(_ t: Double) -> String {
        let k = Int(t.rounded(.down))
        return (t == Double(k) ? "1" : "3") + "e\(k)"
    }
}
