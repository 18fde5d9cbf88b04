import Foundation

/// A mapping from data values to positions along one axis, with the ticks to draw.
protocol ChartScale {
    /// The position of `value`, clamped to the scale's range (non-finite values map to its start).
    func position(_ value: Double) -> Double
    var ticks: [Double] { get }
    /// The range the scale maps onto: positions of the domain's low and high ends.
    var range: (start: Double, end: Double) { get }
}

/// A linear scale over a nice domain.
struct LinearScale: ChartScale {
    let lo: Double, hi: Double
    let ticks: [Double]
    let range: (start: Double, end: Double)

    /// A scale over `lo…hi` widened to round ticks, mapped onto `range`.
    init(_ lo: Double, _ hi: Double, range: (start: Double, end: Double), tickCount: Int = 5) {
        let nice = NiceTicks.linear(lo, hi, count: tickCount)
        (self.lo, self.hi, self.ticks) = (nice.lo, nice.hi, nice.ticks)
        self.range = range
    }

    /// A scale over exactly `lo…hi` (an axis that ends at the data's maximum) with the given ticks.
    init(exactly lo: Double, _ hi: Double, ticks: [Double], range: (start: Double, end: Double)) {
        (self.lo, self.hi, self.ticks, self.range) = (lo, hi, ticks, range)
    }

    func position(_ value: Double) -> Double {
        guard value.isFinite, hi > lo else { return range.start }
        let t = min(1, max(0, (value - lo) / (hi - lo)))
        return range.start + t * (range.end - range.start)
    }
}

/// A log-10 scale over whole decades; values at or below zero map to the low end.
struct LogScale: ChartScale {
    let lo: Double, hi: Double
    let ticks: [Double]
    let range: (start: Double, end: Double)

    /// A scale over the decades around `lo…hi` (positive values), mapped onto `range`; `fitted`: over the
    /// data's own extent (`NiceTicks.logFitted`).
    init(_ lo: Double, _ hi: Double, range: (start: Double, end: Double), tickCount: Int = 6, fitted: Bool = false) {
        let nice = fitted ? NiceTicks.logFitted(lo, hi) : NiceTicks.log(lo, hi, count: tickCount)
        (self.lo, self.hi, self.ticks) = (nice.lo, nice.hi, nice.ticks)
        self.range = range
    }

    func position(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return range.start }
        let t = min(1, max(0, (log10(value) - log10(lo)) / (log10(hi) - log10(lo))))
        return range.start + t * (range.end - range.start)
    }
}
