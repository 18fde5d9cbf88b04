/// One layer's quantization problem: `min over Ŵ on the grid of tr((W−Ŵ) Σ (W−Ŵ)ᵀ)`.
///
/// `weights` is `[out, in]`; `hessian` is Σ = XᵀX `[in, in]`, kept in fp64 (it is accumulated in fp64).
/// The initializer validates shapes and values and throws ``QuantError`` instead of trapping.
public struct LayerProblem<Scalar: BLASScalar>: Sendable {
    /// A display name, e.g. `0.attention.self.query`.
    public let name: String
    public let weights: Matrix<Scalar>
    public let hessian: Matrix<Double>

    public init(name: String = "layer", weights: Matrix<Scalar>, hessian: Matrix<Double>) throws {
        guard weights.rows > 0, weights.cols > 0 else { throw QuantError.emptyLayer }
        guard hessian.rows == weights.cols, hessian.cols == weights.cols else {
            throw QuantError.shapeMismatch(weights: weights.shape, hessian: hessian.shape)
        }
        try Self.checkFinite(weights.storage, cols: weights.cols, name: "W")
        try Self.checkFinite(hessian.storage, cols: hessian.cols, name: "Σ")
        var anyPositive = false
        for (i, v) in hessian.diagonal.enumerated() {
            if v < 0 { throw QuantError.negativeDiagonal(index: i, value: v) }
            if v > 0 { anyPositive = true }
        }
        guard anyPositive else { throw QuantError.noPositiveDiagonal }
        self.name = name
        self.weights = weights
        self.hessian = try Self.symmetric(hessian)
    }

    /// Relative asymmetry |Σij − Σji| / √(Σii·Σjj) that rounding explains: a Σ summed in fp32 by a GEMM (as
    /// dumped from PyTorch) differs from its transpose by far less; a larger difference is a wrong matrix.
    static var symmetryTolerance: Double { 1e-4 }

    /// Σ with both triangles equal (their mean, within `symmetryTolerance`), so every solver reads the same
    /// matrix whichever triangle it uses; throws `notSymmetric` at the first pair past the tolerance.
    private static func symmetric(_ sigma: Matrix<Double>) throws -> Matrix<Double> {
        let n = sigma.rows
        var out = sigma
        var exact = true
        try sigma.storage.withUnsafeBufferPointer { s in
            for i in 0..<n {
                for j in (i + 1)..<n where s[i * n + j] != s[j * n + i] {
                    let a = s[i * n + j], b = s[j * n + i]
                    let scale = (s[i * n + i] * s[j * n + j]).squareRoot()
                    guard abs(a - b) <= symmetryTolerance * scale else {
                        throw QuantError.notSymmetric(row: i, col: j, value: a, mirror: b)
                    }
                    exact = false
                    out[i, j] = (a + b) / 2
                    out[j, i] = out[i, j]
                }
            }
        }
        return exact ? sigma : out
    }

    public var outFeatures: Int { weights.rows }
    public var inFeatures: Int { weights.cols }

    /// Input channels that never fire (Σ_jj = 0).
    public var deadColumns: [Int] { hessian.diagonal.enumerated().filter { $0.element == 0 }.map(\.offset) }

    private static func checkFinite<T: BinaryFloatingPoint>(_ values: [T], cols: Int, name: String) throws {
        var count = 0
        var first = -1
        for (i, v) in values.enumerated() where !v.isFinite {
            if first < 0 { first = i }
            count += 1
        }
        if count > 0 { throw QuantError.nonFinite(matrix: name, count: count, row: first / cols, col: first % cols) }
    }
}
