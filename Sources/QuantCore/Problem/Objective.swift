/// The one objective every method reports: `rel_err = tr(ΔΣΔᵀ) / tr(WΣWᵀ)` with Δ = W − Ŵ, in fp64.
public enum Objective {
    /// `tr(ΔΣΔᵀ) / tr(WΣWᵀ)` computed entirely in fp64 (Δ is formed first, so nothing cancels).
    public static func relativeError<S: BLASScalar>(weights: Matrix<S>, quantized: Matrix<S>, hessian: Matrix<Double>) -> Double {
        precondition(weights.shape == quantized.shape && hessian.rows == weights.cols)
        let w = weights.converted(to: Double.self)
        let delta = w - quantized.converted(to: Double.self)
        let den = quadraticTrace(w, hessian)
        return den > 0 ? quadraticTrace(delta, hessian) / den : 0
    }

    /// `tr(A Σ Aᵀ)` in fp64.
    public static func quadraticTrace(_ a: Matrix<Double>, _ sigma: Matrix<Double>) -> Double {
        let asig = a.matmul(sigma)
        var t = 0.0
        for i in 0..<a.storage.count { t += asig.storage[i] * a.storage[i] }
        return t
    }
}
