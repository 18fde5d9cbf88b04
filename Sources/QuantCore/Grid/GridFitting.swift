#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Fits the per-row grids of one slice of input columns, with the reference semantics of GPTQ's
/// `find_params`: the range always contains 0, an all-zero row gets the range ±1, the zero point is an
/// integer. Works on the transposed layout the solvers use: column `c` of W is the contiguous
/// `rows`-long vector at `wt + c * rows`.
public enum GridFitting {
    /// Scale and zero point per row.
    public typealias RowGrids<S> = (scale: [S], zero: [S])

    /// Min-max (or MSE-searched) grids of the columns `columns` of W.
    public static func fit<S: BLASScalar, C: Collection<Int>>(
        _ wt: UnsafePointer<S>, rows: Int, columns: C, options: GridOptions
    ) -> RowGrids<S> {
        var xmin = [S](repeating: 0, count: rows)
        var xmax = [S](repeating: 0, count: rows)
        for c in columns {
            let col = wt + c * rows
            for r in 0..<rows {
                let v = col[r]
                if v < xmin[r] { xmin[r] = v }
                if v > xmax[r] { xmax[r] = v }
            }
        }
        var grids = finish(xmin: &xmin, xmax: &xmax, options: options)
        if options.mseSearch { searchShrink(wt, rows: rows, columns: columns, xmin: xmin, xmax: xmax, options: options, into: &grids) }
        return grids
    }

    /// The trimmed grid of outlier-aware QuantEase: per row, drop `n = round(count · fraction / 2)` values at
    /// each end, so xmin is the n-th smallest and xmax the (n+1)-th largest, then clamp to contain 0.
    public static func fitTrimmed<S: BLASScalar>(
        _ wt: UnsafePointer<S>, rows: Int, columns: [Int], fraction: Double, options: GridOptions
    ) -> RowGrids<S> {
        let n = Int((Double(columns.count) * fraction / 2).rounded(.toNearestOrEven))
        guard n > 0 else { return fit(wt, rows: rows, columns: columns, options: options) }
        var xmin = [S](repeating: 0, count: rows)
        var xmax = [S](repeating: 0, count: rows)
        var row = [S](repeating: 0, count: columns.count)
        for r in 0..<rows {
            for (k, c) in columns.enumerated() { row[k] = wt[c * rows + r] }
            row.sort()
            xmin[r] = min(row[n - 1], 0)
            xmax[r] = max(row[row.count - n - 1], 0)
        }
        return finish(xmin: &xmin, xmax: &xmax, options: options)
    }

    /// Applies the symmetric rule and the all-zero rule, then computes scale and zero point.
    private static func finish<S: BLASScalar>(xmin: inout [S], xmax: inout [S], options: GridOptions) -> RowGrids<S> {
        let maxq = S(options.maxCode)
        var scale = [S](repeating: 0, count: xmin.count)
        var zero = [S](repeating: 0, count: xmin.count)
        for r in xmin.indices {
            if options.symmetric {
                xmax[r] = max(abs(xmin[r]), xmax[r])
                if xmin[r] < 0 { xmin[r] = -xmax[r] }
            }
            // A row of zeros, or of values so small that its step would be subnormal (|w| < 1e-37 in fp32):
            // the grid of an all-zero row, on which every weight rounds to 0.
            if (xmax[r] - xmin[r]) / maxq < S.leastNormalMagnitude { xmin[r] = -1; xmax[r] = 1 }
            scale[r] = (xmax[r] - xmin[r]) / maxq
            zero[r] = options.symmetric ? (maxq + 1) / 2 : (-xmin[r] / scale[r]).rounded(.toNearestOrEven)
        }
        return (scale, zero)
    }

    /// GPTQ's `mse=True` search: shrink factors p = 1 − i/100 for i < 80, error Σ|q(x) − x|^2.4 per row.
    private static func searchShrink<S: BLASScalar, C: Collection<Int>>(
        _ wt: UnsafePointer<S>, rows: Int, columns: C, xmin: [S], xmax: [S], options: GridOptions,
        into grids: inout RowGrids<S>
    ) {
        let maxq = S(options.maxCode)
        var best = [Double](repeating: .infinity, count: rows)
        var err = [Double](repeating: 0, count: rows)
        var scale1 = [S](repeating: 0, count: rows)
        var zero1 = [S](repeating: 0, count: rows)
        for i in 0..<80 {
            let p = 1 - S(i) / 100
            for r in 0..<rows {
                let lo = p * xmin[r], hi = p * xmax[r]
                scale1[r] = (hi - lo) / maxq
                zero1[r] = options.symmetric ? (maxq + 1) / 2 : (-lo / scale1[r]).rounded(.toNearestOrEven)
                err[r] = 0
            }
            for c in columns {
                let col = wt + c * rows
                for r in 0..<rows {
                    let code = GridMath.code(col[r], scale: scale1[r], zero: zero1[r], maxq: maxq)
                    let q = scale1[r] * (S(code) - zero1[r])
                    err[r] += pow(Double(abs(q - col[r])), 2.4)
                }
            }
            for r in 0..<rows where err[r] < best[r] {
                best[r] = err[r]
                grids.scale[r] = scale1[r]
                grids.zero[r] = zero1[r]
            }
        }
    }
}

