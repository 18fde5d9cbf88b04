/// Where in a layer the weighted error lives: the objective's numerator `tr(ΔΣΔᵀ)` split over output-row
/// bins × input-channel groups, each cell `Σ_{o∈rows} Σ_{c∈group} Δ_{o,c}·(ΔΣ)_{o,c}`, divided by
/// `tr(WΣWᵀ)`. The cells sum to the layer's rel_err. A cell can be slightly negative when Σ couples
/// its channels with others; each row bin's sum over all groups cannot.
///
/// ```swift
/// let map = ErrorMap(weights: w, quantized: q, hessian: sigma)   // at most 48 × 64 cells
/// map.relativeError                                               // == Objective.relativeError(...)
/// ```
public struct ErrorMap: Sendable, Equatable, Codable {
    /// Bins of output rows and groups of input channels.
    public var rows: Int
    public var columns: Int
    /// The first output row of each row bin and the first input channel of each group (axis labels).
    public var rowStarts: [Int]
    public var columnStarts: [Int]
    /// Row-major `rows × columns` shares of `tr(WΣWᵀ)`.
    public var values: [Double]
    /// `tr(ΔΣΔᵀ) / tr(WΣWᵀ)`, summed in the order `Objective.quadraticTrace` uses, so it equals
    /// `Objective.relativeError` exactly.
    public var relativeError: Double

    public init(rowStarts: [Int], columnStarts: [Int], values: [Double], relativeError: Double) {
        precondition(values.count == rowStarts.count * columnStarts.count)
        rows = rowStarts.count
        columns = columnStarts.count
        self.rowStarts = rowStarts
        self.columnStarts = columnStarts
        self.values = values
        self.relativeError = relativeError
    }

    /// The map of `weights` against `quantized` under `hessian` (Σ), in fp64, with at most `maxRows` row
    /// bins and `maxColumns` channel groups (contiguous, sizes differing by at most one).
    public init<S: BLASScalar>(weights: Matrix<S>, quantized: Matrix<S>, hessian: Matrix<Double>, maxRows: Int = 48, maxColumns: Int = 64) {
        precondition(weights.shape == quantized.shape && hessian.rows == weights.cols && maxRows > 0 && maxColumns > 0)
        let w = weights.converted(to: Double.self)
        let delta = w - quantized.converted(to: Double.self)
        let weighted = delta.matmul(hessian)
        let r = min(maxRows, max(1, w.rows)), c = min(maxColumns, max(1, w.cols))
        var cells = [Double](repeating: 0, count: r * c)
        var total = 0.0
        var columnBin = [Int](repeating: 0, count: w.cols)
        for j in 0..<w.cols { columnBin[j] = j * c / w.cols }
        for i in 0..<w.rows {
            let base = (i * r / w.rows) * c
            for j in 0..<w.cols {
                let e = weighted.storage[i * w.cols + j] * delta.storage[i * w.cols + j]
                total += e
                cells[base + columnBin[j]] += e
            }
        }
        let den = Objective.quadraticTrace(w, hessian)
        let scale = den > 0 ? 1 / den : 0
        self.init(rowStarts: (0..<r).map { ($0 * w.rows + r - 1) / r }, columnStarts: (0..<c).map { ($0 * w.cols + c - 1) / c },
                  values: cells.map { $0 * scale }, relativeError: den > 0 ? total / den : 0)
    }

    /// The cell of row bin `r`, channel group `c`.
    public subscript(r: Int, c: Int) -> Double { values[r * columns + c] }

    /// The same map summed into at most `maxRows × maxColumns` cells (for a smaller screen area); the
    /// cells still sum to the rel_err.
    public func pooled(maxRows: Int, maxColumns: Int) -> ErrorMap {
        let r = min(rows, max(1, maxRows)), c = min(columns, max(1, maxColumns))
        guard r != rows || c != columns else { return self }
        var cells = [Double](repeating: 0, count: r * c)
        for i in 0..<rows {
            for j in 0..<columns { cells[(i * r / rows) * c + j * c / columns] += values[i * columns + j] }
        }
        return ErrorMap(rowStarts: (0..<r).map { rowStarts[($0 * rows + r - 1) / r] },
                        columnStarts: (0..<c).map { columnStarts[($0 * columns + c - 1) / c] }, values: cells, relativeError: relativeError)
    }
}
