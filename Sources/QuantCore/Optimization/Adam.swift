import Foundation

/// torch's `Adam` on one parameter tensor, with its state kept between calls (`amsgrad` keeps the running
/// maximum of the second moment, as AQLM's codebook updates do):
///
///     m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  v̂ ← amsgrad ? max(v̂, v) : v
///     p ← p − (lr / (1−β₁ᵗ)) · m / (√v̂ / √(1−β₂ᵗ) + ε)
public struct Adam: Sendable {
    public let learningRate: Double, beta1: Double, beta2: Double, epsilon: Double
    public let amsgrad: Bool
    public private(set) var step = 0
    private var first: [Double], second: [Double], secondMax: [Double]

    public init(count: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                amsgrad: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        first = [Double](repeating: 0, count: count)
        second = first
        secondMax = amsgrad ? first : []
    }

    /// AQLM's codebook optimiser: `Adam(amsgrad=True, betas=(0, 0.95))`.
    static func codebooks(count: Int, learningRate: Double) -> Adam {
        Adam(count: count, learningRate: learningRate, beta1: 0, beta2: 0.95, amsgrad: true)
    }

    /// One step of `params` along `gradients`.
    @_specialize(where S == Float)
    public mutating func update<S: BLASScalar>(_ params: inout [S], gradients: [S]) {
        precondition(params.count == first.count && gradients.count == first.count)
        step += 1
        let t = Double(step)
        let stepSize = learningRate / (1 - pow(beta1, t))
        let correction2 = (1 - pow(beta2, t)).squareRoot()
        for i in 0..<params.count {
            let g = Double(gradients[i])
            first[i] = beta1 * first[i] + (1 - beta1) * g
            second[i] = beta2 * second[i] + (1 - beta2) * g * g
            var moment = second[i]
            if amsgrad {
                secondMax[i] = max(secondMax[i], second[i])
                moment = secondMax[i]
            }
            let denominator = moment.squareRoot() / correction2 + epsilon
            params[i] = S(Double(params[i]) - stepSize * first[i] / denominator)
        }
    }
}
