/// A dense row-major matrix of `rows × cols` scalars.
///
/// Weights are `[out, in]` (rows are output channels); Σ is `[in, in]`.
/// ```swift
/// var m = Matrix<Float>(rows: 2, cols: 3)
/// m[1, 2] = 4
/// ```
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `rows * cols` elements.
    public var storage: [Scalar]

    /// A zero matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        self.storage = [Scalar](repeating: 0, count: rows * cols)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, cols: Int, storage: [Scalar]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, shape needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix whose entry `(r, c)` is `f(r, c)`.
    public init(rows: Int, cols: Int, _ f: (Int, Int) -> Scalar) {
        var s = [Scalar]()
        s.reserveCapacity(rows * cols)
        for r in 0..<rows { for c in 0..<cols { s.append(f(r, c)) } }
        self.init(rows: rows, cols: cols, storage: s)
    }

    /// The identity matrix of size `n`.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    @inlinable
    public subscript(r: Int, c: Int) -> Scalar {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// The shape as `[rows, cols]`.
    public var shape: [Int] { [rows, cols] }

    /// The main diagonal (of a square matrix).
    public var diagonal: [Scalar] {
        (0..<Swift.min(rows, cols)).map { storage[$0 * cols + $0] }
    }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        storage.withUnsafeBufferPointer { src in
            t.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows { for c in 0..<cols { dst[c * rows + r] = src[r * cols + c] } }
            }
        }
        return t
    }

    /// Column `c` as an array.
    public func column(_ c: Int) -> [Scalar] { (0..<rows).map { storage[$0 * cols + c] } }

    /// The columns listed in `order`, in that order (`result[:, k] = self[:, order[k]]`).
    public func selectingColumns(_ order: [Int]) -> Matrix {
        var out = Matrix(rows: rows, cols: order.count)
        for r in 0..<rows {
            let base = r * cols, obase = r * order.count
            for (k, c) in order.enumerated() { out.storage[obase + k] = storage[base + c] }
        }
        return out
    }

    /// The symmetric permutation `P A Pᵀ` (rows and columns both reordered by `order`).
    public func permutedSymmetric(_ order: [Int]) -> Matrix {
        precondition(rows == cols)
        var out = Matrix(rows: rows, cols: cols)
        for (i, pi) in order.enumerated() {
            for (k, pk) in order.enumerated() { out.storage[i * cols + k] = storage[pi * cols + pk] }
        }
        return out
    }

    /// The same entries converted to another scalar type.
    public func converted<T: BLASScalar>(to: T.Type = T.self) -> Matrix<T> {
        Matrix<T>(rows: rows, cols: cols, storage: storage.map { T($0) })
    }

    /// True when every entry is finite.
    public var allFinite: Bool { storage.allSatisfy { $0.isFinite } }
}

extension Matrix {
    /// `self * other` through BLAS gemm.
    public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? cols : rows
        let k = transposeSelf ? rows : cols
        let k2 = transposeOther ? other.cols : other.rows
        let n = transposeOther ? other.rows : other.cols
        precondition(k == k2, "matmul: inner dimensions \(k) and \(k2) differ")
        var out = Matrix(rows: m, cols: n)
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    Scalar.gemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
                                alpha: 1, a: a.baseAddress!, lda: cols, b: b.baseAddress!, ldb: other.cols,
                                beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.shape == rhs.shape)
        var out = lhs
        for i in out.storage.indices { out.storage[i] -= rhs.storage[i] }
        return out
    }

    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.shape == rhs.shape)
        var out = lhs
        for i in out.storage.indices { out.storage[i] += rhs.storage[i] }
        return out
    }
}
