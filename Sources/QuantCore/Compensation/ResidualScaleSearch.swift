/// The per-row scale of a 4-bit symmetric residual code (DecDEC's "cheatsheet"): 32 candidate scales
/// `linspace(m/32, m, 32)` with `m = max|r|/7`, the one with the smallest row MSE (fp32) wins.
///
/// Codes are `clamp(round(r/s), −7, 7)` (half to even), so 15 of the 16 nibble values are used.
/// An all-zero row (or one whose largest magnitude is zero) gets scale 0 and all-zero codes, where the
/// reference would divide 0 by 0.
public enum ResidualScaleSearch {
    /// The largest code magnitude (4-bit symmetric).
    public static let maxCode = 7
    /// Candidate scales tried per row.
    public static let candidateCount = 32

    /// The candidate scales for a row whose largest magnitude is `maxMagnitude`, smallest first.
    public static func candidates(maxMagnitude: Float) -> [Float] {
        let top = maxMagnitude / Float(maxCode)
        let start = top / Float(candidateCount)
        let step = (top - start) / Float(candidateCount - 1)
        return (0..<candidateCount).map { start + step * Float($0) }
    }

    /// The code of `value` at `scale` (0 when the scale is 0).
    @inlinable
    public static func code(_ value: Float, scale: Float) -> Int {
        guard scale > 0 else { return 0 }
        let q = (value / scale).rounded(.toNearestOrEven)
        return Int(Swift.min(Swift.max(q, -Float(maxCode)), Float(maxCode)))
    }

    /// The mean squared error of `row` coded at `scale`, in fp32 like the reference.
    public static func meanSquaredError(_ row: UnsafeBufferPointer<Float>, scale: Float) -> Float {
        var total: Float = 0
        for v in row {
            let d = v - Float(code(v, scale: scale)) * scale
            total += d * d
        }
        return total / Float(Swift.max(row.count, 1))
    }

    /// The winning scale of `row` (the first of equal minima, like `argmin`).
    public static func scale(for row: UnsafeBufferPointer<Float>) -> Float {
        let peak = row.reduce(Float(0)) { Swift.max($0, abs($1)) }
        guard peak > 0, peak.isFinite else { return 0 }
        var best: Float = 0, bestError = Float.infinity
        for s in candidates(maxMagnitude: peak) {
            let e = meanSquaredError(row, scale: s)
            if e < bestError { best = s; bestError = e }
        }
        return best
    }
}
