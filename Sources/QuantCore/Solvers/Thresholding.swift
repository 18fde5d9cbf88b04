/// The hard-thresholding projection P_s of outlier-aware QuantEase on a working-transposed matrix:
/// keep the `budget` entries of largest magnitude, or the `budget` input columns of largest L2 norm.
struct Thresholding<S: BLASScalar> {
    let rows: Int
    let cols: Int
    let budget: Int
    let structure: OutlierStructure
    /// Columns kept by the last structured projection.
    private(set) var selectedColumns: Set<Int> = []
    private var magnitudes: [S] = []

    init(rows: Int, cols: Int, budget: Int, structure: OutlierStructure) {
        self.rows = rows
        self.cols = cols
        self.budget = budget
        self.structure = structure
    }

    // Pre-specialised: a client module that specialises a solver across modules calls these through
    // their generic entry points, which then dispatch to the specialisations instead of running generic code.

    /// P_s(x): everything outside the kept support set to zero.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    mutating func project(_ x: [S]) -> [S] {
        var out = [S](repeating: 0, count: x.count)
        guard budget > 0 else { selectedColumns = []; return out }
        switch structure {
        case .unstructured:
            if magnitudes.count != x.count { magnitudes = [S](repeating: 0, count: x.count) }
            for i in x.indices { magnitudes[i] = abs(x[i]) }
            let threshold = Self.kthLargest(&magnitudes, budget)
            var kept = 0
            for i in x.indices where abs(x[i]) > threshold { out[i] = x[i]; kept += 1 }
            for i in x.indices where kept < budget && abs(x[i]) == threshold { out[i] = x[i]; kept += 1 }
        case .columns:
            let norms = (0..<cols).map { c in (c, (0..<rows).reduce(0.0) { $0 + Double(x[c * rows + $1] * x[c * rows + $1]) }) }
            let top = norms.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(budget).map(\.0)
            selectedColumns = Set(top)
            for c in top { for r in 0..<rows { out[c * rows + r] = x[c * rows + r] } }
        }
        return out
    }

    /// Zeroes the columns the last structured projection kept.
    func zeroSelectedColumns(_ x: inout [S]) {
        for c in selectedColumns { for r in 0..<rows { x[c * rows + r] = 0 } }
    }

    /// Number of nonzero entries.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func nonzeros(_ x: [S]) -> Int { x.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

    /// The k-th largest value (1-based) by in-place quickselect; reorders `values`.
    static func kthLargest(_ values: inout [S], _ k: Int) -> S {
        var lo = 0, hi = values.count - 1
        let target = k - 1
        return values.withUnsafeMutableBufferPointer { v in
            while lo < hi {
                let pivot = v[(lo + hi) / 2]
                var i = lo, j = hi
                while i <= j {
                    while v[i] > pivot { i += 1 }
                    while v[j] < pivot { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                if target <= j { hi = j } else if target >= i { lo = i } else { break }
            }
            return v[target]
        }
    }
}
