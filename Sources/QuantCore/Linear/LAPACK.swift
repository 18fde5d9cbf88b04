import CBLAS

/// fp64 factorisations through LAPACKE, on row-major symmetric matrices.
public enum LAPACK {
    /// The lower Cholesky factor L of a symmetric positive-definite `a` (`a = L Lᵀ`), or nil when `a`
    /// is not positive-definite.
    public static func choleskyLower(_ a: Matrix<Double>) -> Matrix<Double>? {
        precondition(a.rows == a.cols)
        var f = a
        let n = Int32(a.rows)
        let info = f.storage.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, $0.baseAddress, n)
        }
        guard info == 0 else { return nil }
        for r in 0..<a.rows { for c in (r + 1)..<a.cols { f[r, c] = 0 } }
        return f
    }

    /// The inverse of a symmetric positive-definite `a` from its lower Cholesky factor.
    public static func inverseFromCholesky(_ lower: Matrix<Double>) -> Matrix<Double>? {
        var f = lower
        let n = Int32(lower.rows)
        let info = f.storage.withUnsafeMutableBufferPointer {
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, $0.baseAddress, n)
        }
        guard info == 0 else { return nil }
        for r in 0..<lower.rows { for c in (r + 1)..<lower.cols { f[r, c] = f[c, r] } }
        return f
    }

    /// The largest eigenvalue of a symmetric matrix (`dsyevr`, only the top one is computed).
    public static func largestEigenvalue(_ a: Matrix<Double>) -> Double {
        precondition(a.rows == a.cols)
        let n = Int32(a.rows)
        guard n > 0 else { return 0 }
        var f = a
        var found: Int32 = 0
        var w = [Double](repeating: 0, count: a.rows)
        var z = [Double](repeating: 0, count: 1)
        var isuppz = [Int32](repeating: 0, count: 2)
        let info = f.storage.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dsyevr(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "I")),
                           Int8(UInt8(ascii: "U")), n, ap.baseAddress, n, 0, 0, n, n, 0,
                           &found, &w, &z, 1, &isuppz)
        }
        precondition(info == 0, "dsyevr failed with info \(info)")
        return w[0]
    }
}
