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
        self.hessian = hessian
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
