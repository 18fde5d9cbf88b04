/// A solved layer, one of two kinds: integer codes on per-row/group grids (RTN, GPTQ, QuantEase), plus
/// optional full-precision outliers; or additive codebooks (AQLM), with `codes` and `grid` empty.
///
/// The deployed weight is `dequantized()` = grid value of each code (or the codebook decode) + the sparse
/// outlier matrix H.
public struct QuantizedLayer<Scalar: BLASScalar>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major `[out, in]` codes in 0…2^bits−1 (grid layers; empty for a codebook layer).
    public var codes: [UInt8]
    /// The grids of a grid layer; an empty grid (no groups, 0 bits) for a codebook layer.
    public var grid: QuantGrid<Scalar>
    /// Full-precision weights kept beside the grid (outlier-aware QuantEase), empty otherwise.
    public var outliers: SparseOutliers<Scalar>
    /// The codes, codebooks and scales of a codebook layer; nil for a grid layer.
    public var codebooks: AdditiveCodebooks<Scalar>?

    public init(rows: Int, cols: Int, codes: [UInt8], grid: QuantGrid<Scalar>,
                outliers: SparseOutliers<Scalar> = SparseOutliers()) {
        precondition(codes.count == rows * cols && grid.groupIndex.count == cols)
        self.rows = rows
        self.cols = cols
        self.codes = codes
        self.grid = grid
        self.outliers = outliers
    }

    /// A codebook-quantized layer (AQLM).
    public init(codebooks: AdditiveCodebooks<Scalar>) {
        rows = codebooks.rows
        cols = codebooks.cols
        codes = []
        grid = QuantGrid(bits: 0, rows: codebooks.rows, scales: [], zeros: [], groupIndex: [])
        outliers = SparseOutliers()
        self.codebooks = codebooks
    }

    /// Bits per code: the grid's bit width, or `M·B` per group of g weights rounded to whole bits for a
    /// codebook layer (see ``bitsPerWeight`` for the exact storage cost).
    public var bits: Int {
        guard let codebooks else { return grid.bits }
        return Int((Double(codebooks.codebookCount * codebooks.bits) / Double(codebooks.groupSize)).rounded())
    }

    /// The quantized part Ŵ without outliers: the grid values of the codes, or the codebook decode.
    public func gridWeights() -> Matrix<Scalar> {
        if let codebooks { return codebooks.decoded() }
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
    /// (16-bit value + 16-bit index) per outlier; for a codebook layer the AQLM formula (codes, fp16
    /// codebooks, fp16 row scales).
    public var bitsPerWeight: Double {
        if let codebooks { return codebooks.bitsPerWeight }
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
