/// The column-major ("transposed") working copy every solver iterates over: working column `c` is
/// original input column `order[c]`, stored as the contiguous `rows`-long vector at `c * rows`.
struct WorkingLayout<S: BLASScalar> {
    let rows: Int
    let cols: Int
    /// Working position → original column.
    let order: [Int]

    init(rows: Int, cols: Int, order: [Int]) {
        self.rows = rows
        self.cols = cols
        self.order = order
    }

    /// Descending diag(Σ), stable (act-order), or the identity.
    static func columnOrder(diagonal: [Double], actOrder: Bool) -> [Int] {
        let idx = Array(diagonal.indices)
        return actOrder ? idx.sorted { diagonal[$0] > diagonal[$1] } : idx
    }

    /// W `[out, in]` → working transposed `[in, out]` in working order.
    func gather(_ m: Matrix<S>) -> [S] {
        var out = [S](repeating: 0, count: rows * cols)
        m.storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                order.withUnsafeBufferPointer { order in
                    Self.tiles(rows: rows, cols: cols) { r, c in dst[c * rows + r] = src[r * cols + order[c]] }
                }
            }
        }
        return out
    }

    /// Working transposed `[in, out]` → `[out, in]` in the original column order.
    func scatter<T>(_ t: [T], zero: T) -> [T] {
        var out = [T](repeating: zero, count: rows * cols)
        t.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                order.withUnsafeBufferPointer { order in
                    Self.tiles(rows: rows, cols: cols) { r, c in dst[r * cols + order[c]] = src[c * rows + r] }
                }
            }
        }
        return out
    }

    /// Visits every (row, column) in 32 × 32 tiles, so a transposing copy stays within a few cache lines
    /// and pages on both sides.
    @inline(__always)
    private static func tiles(rows: Int, cols: Int, _ body: (Int, Int) -> Void) {
        let tile = 32
        for r0 in stride(from: 0, to: rows, by: tile) {
            for c0 in stride(from: 0, to: cols, by: tile) {
                for r in r0..<min(r0 + tile, rows) {
                    for c in c0..<min(c0 + tile, cols) { body(r, c) }
                }
            }
        }
    }

    /// Σ permuted to working order, converted to `S`.
    func permute(_ sigma: Matrix<Double>) -> Matrix<Double> { sigma.permutedSymmetric(order) }
}

/// Grids in working order: `groupOf[c]` names the group of working column `c`; group `g` of row `r`
/// has `scales[g * rows + r]`.
struct GridTable<S: BLASScalar> {
    let rows: Int
    var scales: [S] = []
    var zeros: [S] = []
    var groupOf: [Int] = []
    let maxq: S

    init(rows: Int, bits: Int) {
        self.rows = rows
        self.maxq = S((1 << bits) - 1)
    }

    /// Appends a group's per-row grids and returns its index.
    mutating func append(_ g: GridFitting.RowGrids<S>) -> Int {
        scales.append(contentsOf: g.scale)
        zeros.append(contentsOf: g.zero)
        return scales.count / rows - 1
    }

    /// Replaces group `index`.
    mutating func replace(_ index: Int, with g: GridFitting.RowGrids<S>) {
        scales.replaceSubrange(index * rows..<(index + 1) * rows, with: g.scale)
        zeros.replaceSubrange(index * rows..<(index + 1) * rows, with: g.zero)
    }

    /// Rounds the working column `col` (a `rows`-long vector) onto its group's grid; returns codes changed.
    @inline(__always)
    func quantize(_ v: UnsafeMutablePointer<S>, column: Int, codes: UnsafeMutablePointer<UInt8>?) -> Int {
        quantize(v, column: column, rows: 0..<rows, codes: codes)
    }

    /// Rounds the rows `range` of the working column `col` (`v` and `codes` point at its row 0) onto its
    /// group's grid; returns codes changed. Gives the codes of `GridMath.quantize`; the division and
    /// rounding run four rows at a time.
    @inline(__always)
    func quantize(_ v: UnsafeMutablePointer<S>, column: Int, rows range: Range<Int>, codes: UnsafeMutablePointer<UInt8>?) -> Int {
        let g = groupOf[column] * rows
        return scales.withUnsafeBufferPointer { s in
            zeros.withUnsafeBufferPointer { z in
                let scale = s.baseAddress! + g, zero = z.baseAddress! + g, maxq = maxq
                var changed = 0
                var r = range.lowerBound
                @inline(__always) func finish(_ q: S, _ r: Int) {
                    let code = q >= 0 ? (q <= maxq ? q : maxq) : 0   // NaN (overflowed weights) → 0, not a trap
                    v[r] = scale[r] * (code - zero[r])
                    if let codes {
                        let c = code.codeByte
                        if codes[r] != c { changed += 1 }
                        codes[r] = c
                    }
                }
                while r + 4 <= range.upperBound {
                    let x = UnsafeRawPointer(v + r).loadUnaligned(as: SIMD4<S>.self)
                    let sc = UnsafeRawPointer(scale + r).loadUnaligned(as: SIMD4<S>.self)
                    let q = Self.roundedToEven(x / sc) + UnsafeRawPointer(zero + r).loadUnaligned(as: SIMD4<S>.self)
                    for l in 0..<4 { finish(q[l], r + l) }
                    r += 4
                }
                while r < range.upperBound {
                    finish(Self.roundedToEven(SIMD4(repeating: v[r] / scale[r]))[0] + zero[r], r)
                    r += 1
                }
                return changed
            }
        }
    }

    /// `x.rounded(.toNearestOrEven)` lane by lane for |x| < 2^(m−1) (m the significand bits): adding and
    /// removing 1.5·2^m rounds half to even in the default rounding mode. Larger |x| come out just as far
    /// off the grid, so the clamped code is the same. (The baseline x86-64 target has no rounding
    /// instruction: `rounded` is a libm call per weight.)
    @inline(__always)
    static func roundedToEven(_ x: SIMD4<S>) -> SIMD4<S> {
        let magic = SIMD4(repeating: S(3 << (S.significandBitCount - 1)))
        return (x + magic) - magic
    }

    /// The public grid, with group indices mapped back to original column order.
    func grid(bits: Int, layout: WorkingLayout<S>) -> QuantGrid<S> {
        var gi = [Int32](repeating: 0, count: layout.cols)
        for c in 0..<layout.cols { gi[layout.order[c]] = Int32(groupOf[c]) }
        return QuantGrid(bits: bits, rows: rows, scales: scales, zeros: zeros, groupIndex: gi)
    }

    /// One grid per `groupSize` working columns, fitted on the working columns of `wt` (QuantEase, RTN).
    static func fitted(_ wt: [S], layout: WorkingLayout<S>, options: GridOptions) -> GridTable {
        var table = GridTable(rows: layout.rows, bits: options.bits)
        let size = options.groupSize == -1 ? layout.cols : options.groupSize
        wt.withUnsafeBufferPointer { w in
            for start in stride(from: 0, to: layout.cols, by: size) {
                let end = min(start + size, layout.cols)
                let g = table.append(GridFitting.fit(w.baseAddress!, rows: layout.rows, columns: start..<end, options: options))
                table.groupOf.append(contentsOf: repeatElement(g, count: end - start))
            }
        }
        return table
    }
}

extension QuantizedLayer {
    /// Builds a layer from working-order codes.
    init(layout: WorkingLayout<Scalar>, codesT: [UInt8], table: GridTable<Scalar>, bits: Int,
         outliers: SparseOutliers<Scalar> = SparseOutliers()) {
        self.init(rows: layout.rows, cols: layout.cols, codes: layout.scatter(codesT, zero: 0),
                  grid: table.grid(bits: bits, layout: layout), outliers: outliers)
    }
}
