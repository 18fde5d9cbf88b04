import QuantCore
import FloatBounds

/// Rounding-error bounds for sums whose order is up to the BLAS kernel (blocking, SIMD width, FMA, threads)
/// or up to the code under test, so that a test comparing two evaluations holds on any correct BLAS, not
/// just on the one it ran on.
///
/// Standard model (Higham, *Accuracy and Stability of Numerical Algorithms*, §2.2 and §3.1): every operation
/// is exact up to a factor 1 + δ with |δ| ≤ u (2⁻²⁴ for Float, 2⁻⁵³ for Double). A sum of n terms (each a
/// product rounded once, or fused), added in any order or tree, is then within γₙ·Σ|termᵢ| of the exact sum,
/// γₙ = n·u / (1 − n·u); so two evaluations of it differ by at most 2γₙ·Σ|termᵢ|.
public enum FloatSums {
    /// u = 2⁻²⁴, the unit roundoff of Float.
    public static let unitRoundoff = 0x1p-24

    /// γₙ = n·u / (1 − n·u): the relative bound of n compounded roundings (fp32 unless `u` says otherwise).
    public static func gamma(_ n: Int, unitRoundoff u: Double = unitRoundoff) -> Double {
        let nu = Double(n) * u
        precondition(nu < 1, "γ(\(n)) is unbounded at u = \(u)")
        return nu / (1 - nu)
    }

    /// γₙ in fp64 (u = 2⁻⁵³).
    public static func gamma64(_ n: Int) -> Double { gamma(n, unitRoundoff: 0x1p-53) }

    /// The most two fp32 evaluations (any orders) of a sum of `terms` terms whose absolute values add up to
    /// `magnitude` can differ by.
    public static func twoEvaluationsDiffer(terms: Int, magnitude: Double) -> Double {
        2 * gamma(terms) * magnitude
    }

    /// `tr(|A|·|Σ|·|A|ᵀ)`: the absolute values of the terms of `tr(AΣAᵀ)` added up, the magnitude its
    /// rounding errors are relative to.
    public static func quadraticTraceMagnitude(_ a: Matrix<Double>, _ sigma: Matrix<Double>) -> Double {
        Objective.quadraticTrace(Matrix(rows: a.rows, cols: a.cols, storage: a.storage.map(abs)),
                                 Matrix(rows: sigma.rows, cols: sigma.cols, storage: sigma.storage.map(abs)))
    }
}
