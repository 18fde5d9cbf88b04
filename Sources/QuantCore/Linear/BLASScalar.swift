import CBLAS

/// A scalar type that OpenBLAS and LAPACK handle (`Float` or `Double`).
///
/// Solvers are generic over it: production runs use `Float` (sgemm), parity checks against the
/// float64 numpy ports use `Double`.
public protocol BLASScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C, row-major.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α·op(A)·x + β·y, row-major A of `m × n`.
    static func gemv(trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
    /// A ← α·x·yᵀ + A, row-major A of `m × n`.
    static func ger(m: Int, n: Int, alpha: Self, x: UnsafePointer<Self>, incx: Int,
                    y: UnsafePointer<Self>, incy: Int, a: UnsafeMutablePointer<Self>, lda: Int)
    /// Upper triangle of C ← α·AᵀA + β·C, row-major A of `k × n` and C of `n × n`; the lower triangle is untouched.
    static func syrkUpperTransposed(n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                                    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// A grid code in 0…255 held as a whole number, as a byte: one hardware conversion (the generic
    /// `UInt8(_:)` on a `BinaryFloatingPoint` takes the value apart bit by bit).
    var codeByte: UInt8 { get }
}


extension Float: BLASScalar {
    @inlinable public var codeByte: UInt8 { UInt8(self) }
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func gemv(trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                       x: UnsafePointer<Float>, incx: Int, beta: Float,
                                       y: UnsafeMutablePointer<Float>, incy: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, Int32(incx), beta, y, Int32(incy))
    }
    public static func ger(m: Int, n: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int,
                                      y: UnsafePointer<Float>, incy: Int, a: UnsafeMutablePointer<Float>, lda: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, Int32(incx), y, Int32(incy), a, Int32(lda))
    }
    public static func syrkUpperTransposed(n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard n > 0 else { return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
    }
}

extension Double: BLASScalar {
    @inlinable public var codeByte: UInt8 { UInt8(self) }
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                                       a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                                       beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func gemv(trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                       x: UnsafePointer<Double>, incx: Int, beta: Double,
                                       y: UnsafeMutablePointer<Double>, incy: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, Int32(incx), beta, y, Int32(incy))
    }
    public static func ger(m: Int, n: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int,
                                      y: UnsafePointer<Double>, incy: Int, a: UnsafeMutablePointer<Double>, lda: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dger(CblasRowMajor, Int32(m), Int32(n), alpha, x, Int32(incx), y, Int32(incy), a, Int32(lda))
    }
    public static func syrkUpperTransposed(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                           beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard n > 0 else { return }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
    }
}
