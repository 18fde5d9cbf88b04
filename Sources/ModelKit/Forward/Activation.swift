import Foundation
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

    /// Applies the activation to every entry.
    func apply(_ x: inout Matrix<Float>) {
        x.storage.withUnsafeMutableBufferPointer { xs in
            switch self {
            case .geluErf:
                for i in 0..<xs.count { xs[i] = 0.5 * xs[i] * (1 + erf(xs[i] * 0.70710678118654752)) }
            case .geluTanh:
                for i in 0..<xs.count {
                    let v = xs[i]
                    xs[i] = 0.5 * v * (1 + tanh(0.79788456080286536 * (v + 0.044715 * v * v * v)))
                }
            case .relu:
                for i in 0..<xs.count { xs[i] = max(xs[i], 0) }
            case .silu:
                for i in 0..<xs.count { xs[i] = xs[i] / (1 + exp(-xs[i])) }
            }
        }
    }
}
