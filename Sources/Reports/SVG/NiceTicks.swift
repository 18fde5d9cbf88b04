import Foundation

/// Axis ticks at round numbers: 1, 2 or 5 × 10ⁿ steps for linear axes, decades (with 2× and 5× when the
/// range is short) for log axes.
enum NiceTicks {
    /// A round step near `span / (count - 1)`: 1, 2, 5 or 10 times a power of ten.
    static func step(span: Double, count: Int) -> Double? {
        guard span.isFinite, span > 0 else { return nil }
        let raw = span / Double(max(1, count - 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// A linear domain widened to whole steps around `lo…hi`, and its ticks (about `count` of them).
    /// An empty or degenerate range is widened around its value; non-finite bounds give `0…1`.
    static func linear(_ lo: Double, _ hi: Double, count: Int = 5) -> (lo: Double, hi: Double, ticks: [Double]) {
        guard lo.isFinite, hi.isFinite else { return linear(0, 1, count: count) }
        var (a, b) = (min(lo, hi), max(lo, hi))
        if a == b {
            let pad = a == 0 ? 1 : abs(a) / 2
            (a, b) = (a - pad, b + pad)
        }
        guard let step = step(span: b - a, count: count) else { return linear(0, 1, count: count) }
        let first = (a / step).rounded(.down), last = (b / step).rounded(.up)
        guard last - first < 1000 else { return (a, b, [a, b]) }
        let ticks = stride(from: first, through: last, by: 1).map { clean($0 * step, step: step) }
        return (first * step, last * step, ticks)
    }

    /// A log-10 domain widened to whole decades around `lo…hi` (positive values only), and its ticks:
    /// every decade, thinned to at most about `count`; 1, 2, 5 per decade when it spans two decades or fewer.
    static func log(_ lo: Double, _ hi: Double, count: Int = 6) -> (lo: Double, hi: Double, ticks: [Double]) {
        let positive = [lo, hi].filter { $0 > 0 && $0.isFinite }
        guard let small = positive.min(), let large = positive.max() else { return (0.1, 1, [0.1, 1]) }
        let first = log10(small).rounded(.down)
        var last = log10(large).rounded(.up)
        if last == first { last += 1 }
        let decades = last - first
        if decades <= 2 {
            var ticks: [Double] = []
            for e in stride(from: first, through: last, by: 1) {
                for m in [1.0, 2, 5] where e < last || m == 1 { ticks.append(m * pow(10, e)) }
            }
            return (pow(10, first), pow(10, last), ticks)
        }
        let every = max(1, (decades / Double(max(1, count - 1))).rounded(.up))
        let ticks = stride(from: first, through: last, by: every).map { pow(10, $0) }
        return (pow(10, first), pow(10, last), ticks)
    }

    /// A log-10 domain fitted to the data `lo…hi` (positive values) with `padding` of its log span on each side
    /// (at least a twentieth of a decade), and round ticks inside it: decades when it spans three or more,
    /// else the first of 1-2-5, 1-2-3-5, 1-1.5-2-2.5-3…9 per decade that gives three ticks (two when the next finer set gives more than seven), else linear steps.
    /// Curves of values within one decade fill the plot instead of a flat band of it.
    static func logFitted(_ lo: Double, _ hi: Double, padding: Double = 0.06) -> (lo: Double, hi: Double, ticks: [Double]) {
        let positive = [lo, hi].filter { $0 > 0 && $0.isFinite }
        guard let small = positive.min(), let large = positive.max() else { return (0.1, 1, [0.1, 1]) }
        let span = log10(large) - log10(small)
        let pad = max(span * padding, 0.05)
        let (a, b) = (log10(small) - pad, log10(large) + pad)
        let (domainLo, domainHi) = (pow(10, a), pow(10, b))
        let inside = { (t: Double) in t >= domainLo * (1 - 1e-12) && t <= domainHi * (1 + 1e-12) }
        if b - a >= 3 {
            let ticks = log(domainLo, domainHi).ticks.filter(inside)
            if ticks.count >= 2 { return (domainLo, domainHi, ticks) }
        }
        var coarser: [Double] = []
        for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 5], [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]] {
            var ticks: [Double] = []
            for e in stride(from: a.rounded(.down), through: b.rounded(.up), by: 1) {
                for m in mantissas { ticks.append(clean(m * pow(10, e), step: pow(10, e))) }
            }
            ticks = ticks.filter(inside)
            // Too many ticks (the range crosses a decade): the coarser set's two ticks read better.
            if ticks.count > 7 && coarser.count >= 2 { return (domainLo, domainHi, coarser) }
            if ticks.count >= 3 { return (domainLo, domainHi, ticks) }
            coarser = ticks
        }
        return (domainLo, domainHi, linear(domainLo, domainHi, count: 4).ticks.filter(inside))
    }

    /// Ticks at round steps inside the exact domain `lo…hi` (not widened), the end `hi` included so an
    /// axis ends at the data's maximum.
    static func inside(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [lo] }
        let ticks = linear(lo, hi, count: count).ticks.filter { $0 >= lo && $0 <= hi }
        guard let step = step(span: hi - lo, count: count), let last = ticks.last else { return [lo, hi] }
        return hi - last > step / 3 ? ticks + [hi] : Array(ticks.dropLast()) + [hi]
    }

    /// `x` rounded to the precision of `step`, so 0.1 × 3 prints as 0.3.
    private static func clean(_ x: Double, step: Double) -> Double {
        let digits = max(0, -Int(log10(step).rounded(.down))) + 1
        let scale = pow(10, Double(min(digits, 15)))
        let rounded = (x * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }

    /// A tick's label: `%g`, e.g. `0.25`, `1e-05`, `300`.
    static func format(_ x: Double) -> String { String(format: "%g", x) }
}
