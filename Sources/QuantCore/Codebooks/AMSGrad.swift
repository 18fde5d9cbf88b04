import Foundation

/// torch's `Adam(amsgrad=True)` on one parameter tensor, with its state kept between calls:
///
///     m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  v̂ ← max(v̂, v)
///     p ← p − (lr / (1−β₁ᵗ)) · m / (√v̂ / √(1−β₂ᵗ) + ε)
struct AMSGrad {
    let learningRate: Double, beta1: Double, beta2: Double, epsilon: Double
    private(set) var step = 0
    private var first: [Double], second: [Double], secondMax: [Double]

    init(count: Int, learningRate: Double, beta1: Double = 0, beta2: Double = 0.95, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        first = [Double](repeating: 0, count: count)
        second = first
        secondMax = first
    }

    /// One step of `params` along `gradients`.
    @_specialize(where S == Float)
    mutating func update<S: BLASScalar>(_ params: inout [S], gradients: [S]) {
        precondition(params.count == first.count && gradients.count == first.count)
        step += 1
        let t = Double(step)
        let stepSize = learningRate / (1 - pow(beta1, t))
        let correction2 = (1 - pow(beta2, t)).squareRoot()
        for i in 0..<params.count {
            let g = Double(gradients[i])
            first[i] = beta1 * first[i] + (1 - beta1) * g
            second[i] = beta2 * second[i] + (1 - beta2) * g * g
            secondMax[i] = max(secondMax[i], second[i])
            let denominator = secondMax[i].squareRoot() / correction2 + epsilon
            params[i] = S(Double(params[i]) - stepSize * first[i] / denominator)
        }
    }
}
