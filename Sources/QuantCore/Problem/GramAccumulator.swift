/// Accumulates a layer's Gram matrix Σ = Σ_batches XᵀX in fp64 from `Float` activation batches.
///
/// Each batch is `[tokens, in]` (rows are tokens); it is widened to `Double` and added with dsyrk, so Σ is
/// the raw sum (no averaging, no factor 2 — constant factors cancel in every solver).
/// ```swift
/// var gram = GramAccumulator(features: 384)
/// try gram.add(batch)                        // Matrix<Float> [tokens, 384]
/// let problem = try LayerProblem(weights: w, hessian: gram.sigma)
/// ```
public struct GramAccumulator: Sendable {
    /// Why a batch was rejected; Σ is left unchanged.
    public enum BatchError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The batch has `got` columns, Σ is `[expected, expected]`.
        case widthMismatch(expected: Int, got: Int)
        /// The batch holds NaN or ±Inf, the first at `[row, col]`.
        case nonFinite(row: Int, col: Int)

        public var description: String {
            switch self {
            case let .widthMismatch(expected, got):
                return "activation batch has \(got) features per token, the layer takes \(expected)"
            case let .nonFinite(row, col):
                return "activation batch holds a non-finite value (NaN or Inf) at token \(row), feature \(col)"
            }
        }
    }

    /// Input features (the width of every batch and the size of Σ).
    public private(set) var features: Int
    /// Tokens (batch rows) accumulated so far.
    public private(set) var tokens: Int = 0
    /// The upper triangle holds the running sum; the lower triangle is filled on read.
    private var upper: Matrix<Double>

    /// An empty accumulator for layers with `features` inputs.
    public init(features: Int) {
        self.features = max(features, 0)
        upper = Matrix(rows: self.features, cols: self.features)
    }

    /// Adds `XᵀX` of one batch `[tokens, in]`.
    public mutating func add(_ batch: Matrix<Float>) throws(BatchError) {
        guard batch.cols == features else { throw .widthMismatch(expected: features, got: batch.cols) }
        if let bad = batch.storage.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(row: bad / batch.cols, col: bad % batch.cols)
        }
        guard batch.rows > 0, features > 0 else { return }
        let wide = batch.storage.map(Double.init)
        let n = features
        wide.withUnsafeBufferPointer { a in
            upper.storage.withUnsafeMutableBufferPointer { c in
                Double.syrkUpperTransposed(n: n, k: batch.rows, alpha: 1, a: a.baseAddress!, lda: n,
                                           beta: 1, c: c.baseAddress!, ldc: n)
            }
        }
        tokens += batch.rows
    }

    /// Σ = Σ XᵀX, symmetric and full `[in, in]`.
    public var sigma: Matrix<Double> {
        var full = upper
        Self.mirrorUpper(&full)
        return full
    }

    /// Σ without a copy: the accumulator gives up its storage and is empty afterwards (for a caller that
    /// needs Σ once and cannot afford two `[in, in]` fp64 matrices, e.g. a 11008-wide layer). The emptied
    /// accumulator has zero features, so a later `add` throws instead of writing past its storage.
    public mutating func takeSigma() -> Matrix<Double> {
        var full = Matrix<Double>(rows: 0, cols: 0)
        swap(&full, &upper)
        Self.mirrorUpper(&full)
        features = 0
        tokens = 0
        return full
    }

    private static func mirrorUpper(_ m: inout Matrix<Double>) {
        let n = m.rows
        m.storage.withUnsafeMutableBufferPointer { s in
            for r in 0..<n {
                for c in 0..<r { s[r * n + c] = s[c * n + r] }
            }
        }
    }
}
