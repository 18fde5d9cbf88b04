import CBLAS

extension LAPACK {
    /// The solution x of `a·x = b` for a symmetric positive-definite `a` (`dposv`, Cholesky), or nil when
    /// `a` is not positive-definite.
    public static func solvePositiveDefinite(_ a: Matrix<Double>, _ b: [Double]) -> [Double]? {
        precondition(a.rows == a.cols && b.count == a.rows)
        var f = a
        var x = b
        let n = Int32(a.rows)
        let info = f.storage.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, 1, ap.baseAddress, n, xp.baseAddress, 1)
            }
        }
        return info == 0 ? x : nil
    }
}
