/// A solved layer: integer codes on per-row/group grids, plus optional full-precision outliers.
///
/// The deployed weight is `dequantized()` = grid value of each code + the sparse outlier matrix H.
public struct QuantizedLayer<Scalar: BLASScalar>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major `[out, in]` codes in 0…2^bits−1.
    public var codes: [UInt8]
    public var grid: QuantGrid<Scalar>
    /// Full-precision weights kept beside the grid (outlier-aware QuantEase), empty otherwise.
    public var outliers: SparseOutliers<Scalar>

    public init(rows: Int, cols: Int, codes: [UInt8], grid: QuantGrid<Scalar>,
                outliers: SparseOutliers<Scalar> = SparseOutliers()) {
        precondition(codes.count == rows * cols && grid.groupIndex.count == cols)
        self.rows = rows
        self.cols = cols
        self.codes = codes
        self.grid = grid
        self.outliers = outliers
    }

    public var bits: Int { grid.bits }

    /// The on-grid part Ŵ (without outliers).
    public func gridWeights() -> Matrix<Scalar> {
        var m = Matrix<Scalar>(rows: rows, cols: cols)
        for r in 0..<rows {
            for c in 0..<cols { m.storage[r * cols + c] = grid.value(codes[r * cols + c], row: r, col: c) }
        }
        return m
    }

    /// The deployed weight Ŵ + H.
    public func dequantized() -> Matrix<Scalar> {
        var m = gridWeights()
        for o in outliers.entries { m.storage[o.index] += o.value }
        return m
    }

    /// Storage cost per weight: code bits, grid overhead (16-bit scale + zero per row or group) and 32 bits
    /// (16-bit value + 16-bit index) per outlier.
    public var bitsPerWeight: Double {
        let n = Double(rows * cols)
        let gridBits = Double(grid.scales.count) * Double(16 + bits)
        return Double(bits) + gridBits / n + Double(outliers.count) * 32 / n
    }
}

/// A sparse set of full-precision weights, by row-major flat index.
public struct SparseOutliers<Scalar: BLASScalar>: Sendable, Equatable {
    /// One kept weight: `index = row * cols + col`.
    public struct Entry: Sendable, Equatable {
        public var index: Int
        public var value: Scalar
        public init(index: Int, value: Scalar) { self.index = index; self.value = value }
    }
    public var entries: [Entry]
    public init(entries: [Entry] = []) { self.entries = entries.sorted { $0.index < $1.index } }
    public var count: Int { entries.count }
}
