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

    /// The upper Cholesky factor U of `a`⁻¹ (`a`⁻¹ = UᵀU, U upper with a positive diagonal) for a symmetric
    /// positive-definite `a`, or nil when `a` is not positive-definite.
    ///
    /// With J the order reversal, J·a·J = L̃L̃ᵀ gives a⁻¹ = (J L̃⁻¹ J)ᵀ(J L̃⁻¹ J), so U = J L̃⁻¹ J: one
    /// factorisation and one triangular inverse (⅔n³ flops instead of the 4⁄3n³ of factor, invert, factor).
    /// A symmetric row-major matrix reversed in storage is J·a·J, and the column-major upper factor
    /// read row-major is L̃, so no transposes are needed.
    public static func upperCholeskyOfInverse(_ a: Matrix<Double>) -> Matrix<Double>? {
        precondition(a.rows == a.cols)
        let n = a.rows
        guard n > 0 else { return a }
        var f = [Double](a.storage.reversed())
        let info = f.withUnsafeMutableBufferPointer { p -> Int32 in
            let upper = Int8(UInt8(ascii: "U"))
            let factored = LAPACKE_dpotrf(LAPACK_COL_MAJOR, upper, Int32(n), p.baseAddress, Int32(n))
            guard factored == 0 else { return factored }
            return LAPACKE_dtrtri(LAPACK_COL_MAJOR, upper, Int8(UInt8(ascii: "N")), Int32(n), p.baseAddress, Int32(n))
        }
        guard info == 0 else { return nil }
        // f read row-major is L̃⁻¹ above its lower triangle; reversing gives J L̃⁻¹ J, upper.
        f.reverse()
        for r in 1..<n { for c in 0..<r { f[r * n + c] = 0 } }
        return Matrix(rows: n, cols: n, storage: f)
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
