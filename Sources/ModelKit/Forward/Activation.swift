import QuantCore

/// The MLP non-linearities, by their transformers names (`hidden_act`, `activation_function`).
enum Activation: Sendable {
    /// `gelu`: exact, `0.5·x·(1 + erf(x/√2))`.
    case geluErf
    /// `gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`: the tanh approximation.
    case geluTanh
    case relu
    /// `silu` / `swish`: `x·σ(x)`.
    case silu

    /// The names accepted, for error messages.
    static let supportedNames = ["gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish"]

    init?(name: String) {
        switch name {
        case "gelu": self = .geluErf
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        case "relu": self = .relu
        case "silu", "swish": self = .silu
        default: return nil
        }
    }

    private static let inverseSqrt2 = 0.70710678118654752
    private static let sqrt2OverPi = 0.79788456080286536
    private static let cubic = 0.044715

    /// Applies the activation to every entry.
    func apply<S: ForwardScalar>(_ x: inout Matrix<S>) {
        let inverseSqrt2 = S(Self.inverseSqrt2), sqrt2OverPi = S(Self.sqrt2OverPi), cubic = S(Self.cubic)
        x.storage.withUnsafeMutableBufferPointer { xs in
            switch self {
            case .geluErf:
                for i in 0..<xs.count { xs[i] = 0.5 * xs[i] * (1 + S.erf(xs[i] * inverseSqrt2)) }
            case .geluTanh:
                for i in 0..<xs.count {
                    let v = xs[i]
                    xs[i] = 0.5 * v * (1 + S.tanh(sqrt2OverPi * (v + cubic * v * v * v)))
                }
            case .relu:
                for i in 0..<xs.count { xs[i] = max(xs[i], 0) }
            case .silu:
                for i in 0..<xs.count { xs[i] = xs[i] / (1 + S.exp(-xs[i])) }
            }
        }
    }

    /// The input gradient: `dy · f′(x)` for the pre-activation `x`.
    func backward<S: ForwardScalar>(_ x: Matrix<S>, dy: Matrix<S>) -> Matrix<S> {
        let inverseSqrt2 = S(Self.inverseSqrt2), sqrt2OverPi = S(Self.sqrt2OverPi), cubic = S(Self.cubic)
        let inverseSqrt2Pi = S(0.39894228040143268)
        var dx = dy
        x.storage.withUnsafeBufferPointer { xs in
            dx.storage.withUnsafeMutableBufferPointer { d in
                for i in 0..<d.count {
                    let v = xs[i]
                    let slope: S
                    switch self {
                    case .geluErf:
                        slope = 0.5 * (1 + S.erf(v * inverseSqrt2)) + v * inverseSqrt2Pi * S.exp(-0.5 * v * v)
                    case .geluTanh:
                        let t = S.tanh(sqrt2OverPi * (v + cubic * v * v * v))
                        slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * sqrt2OverPi * (1 + 3 * cubic * v * v)
                    case .relu:
                        slope = v > 0 ? 1 : 0
                    case .silu:
                        let sigma = 1 / (1 + S.exp(-v))
                        slope = sigma * (1 + v * (1 - sigma))
                    }
                    d[i] *= slope
                }
            }
        }
        return dx
    }
}
