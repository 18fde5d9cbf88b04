/// Why a layer problem or a solver option was rejected. Every case names the fault; none traps.
public enum QuantError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Σ must be `[in, in]` for W `[out, in]`.
    case shapeMismatch(weights: [Int], hessian: [Int])
    /// W or Σ holds NaN or ±Inf (`count` entries, the first at `row`, `col`).
    case nonFinite(matrix: String, count: Int, row: Int, col: Int)
    /// Σ has no positive diagonal entry: every input channel is dead.
    case noPositiveDiagonal
    /// Σ has a negative diagonal entry, so it is not a Gram matrix XᵀX.
    case negativeDiagonal(index: Int, value: Double)
    /// Bit width outside 2…8.
    case bitsOutOfRange(Int)
    /// Outlier fraction outside [0, 0.5].
    case outlierFractionOutOfRange(Double)
    /// Group size must be -1 (per row) or a positive number of columns.
    case invalidGroupSize(Int)
    /// A numeric option out of its range (sweeps, block size, damping, alpha…).
    case invalidOption(name: String, value: String, expected: String)
    /// The damped Σ stayed non-positive-definite after every retry.
    case notPositiveDefinite(lastDamping: Double)
    /// An option combination this method does not support.
    case unsupported(String)
    /// W is empty.
    case emptyLayer
    /// Σ differs from its transpose beyond rounding: `Σ[row, col]` and `Σ[col, row]`.
    case notSymmetric(row: Int, col: Int, value: Double, mirror: Double)
    /// An iterative solver's error grew past `limit` × ‖W‖²_Σ (worse than zeroing the layer) at `step`.
    case diverged(method: String, step: Int, relativeError: Double, limit: Double, hint: String)
    /// The solved layer holds NaN or infinity: the weights' magnitude (max |w|) overflows the solver's arithmetic.
    case nonFiniteResult(method: String, maxAbsWeight: Double)

    public var description: String {
        switch self {
        case let .shapeMismatch(w, h):
            return "shape mismatch: W is \(w) ([out, in]) so Σ must be [\(w.last ?? 0), \(w.last ?? 0)], but Σ is \(h)"
        case let .nonFinite(m, n, r, c):
            return "\(m) holds \(n) non-finite value\(n == 1 ? "" : "s") (NaN or Inf), the first at [\(r), \(c)]"
        case .noPositiveDiagonal:
            return "Σ has no positive diagonal entry: the calibration inputs are all zero"
        case let .negativeDiagonal(i, v):
            return "Σ[\(i), \(i)] = \(v) is negative: Σ must be XᵀX (positive semi-definite)"
        case let .bitsOutOfRange(b):
            return "bits must be in 2…8, got \(b)"
        case let .outlierFractionOutOfRange(f):
            return "outlier fraction must be in [0, 0.5], got \(f)"
        case let .invalidGroupSize(g):
            return "group size must be -1 (one grid per row) or a positive column count, got \(g)"
        case let .invalidOption(name, value, expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case let .notPositiveDefinite(d):
            return "Σ is not positive-definite even with damping \(d) × mean(diag Σ)"
        case let .unsupported(what):
            return "unsupported: \(what)"
        case .emptyLayer:
            return "the weight matrix is empty"
        case let .notSymmetric(r, c, v, m):
            return "Σ is not symmetric: Σ[\(r), \(c)] = \(v) but Σ[\(c), \(r)] = \(m) (Σ = XᵀX is symmetric)"
        case let .diverged(method, step, e, limit, hint):
            return "\(method) diverged at step \(step): relative error \(e) exceeds \(limit) (zeroing the layer gives 1); \(hint)"
        case let .nonFiniteResult(method, w):
            return "\(method) produced NaN or infinite weights: max |w| = \(w) overflows its fp32 arithmetic"
        }
    }
}
