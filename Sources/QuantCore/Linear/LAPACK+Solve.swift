import CBLAS

extension LAPACK {
    /// The solution x of `a·x = b` for a symmetric positive-definite `a` (`dposv`, Cholesky), or nil when
    /// `a` is not positive-definite. A symmetric matrix reads the same in either order, so it is handed to
    /// LAPACK as column-major (no transposed copy).
    public static func solvePositiveDefinite(_ a: Matrix<Double>, _ b: [Double]) -> [Double]? {
        precondition(a.rows == a.cols && b.count == a.rows)
        var f = a
        var x = b
        let n = Int32(a.rows)
        let info = f.storage.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), n, 1, ap.baseAddress, n, xp.baseAddress, n)
            }
        }
        return info == 0 ? x : nil
    }
}
