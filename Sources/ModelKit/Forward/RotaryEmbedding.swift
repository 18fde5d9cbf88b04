import Foundation
import QuantCore

/// Rotary position embedding in the Hugging Face "rotate_half" layout: the two halves of each head
/// are rotated against each other, `x' = x·cos + rotate_half(x)·sin` with `rotate_half([a, b]) = [−b, a]`.
struct RotaryEmbedding: Sendable {
    let headDim: Int
    /// The `headDim / 2` frequencies after scaling, computed in fp32 as transformers does.
    let inverseFrequencies: [Float]

    init(headDim: Int, config: RoPEConfig) {
        self.headDim = headDim
        let half = headDim / 2
        let theta = Float(config.theta)
        var frequencies = (0..<half).map { i in 1 / pow(theta, Float(2 * i) / Float(headDim)) }
        switch config.scaling {
        case .none:
            break
        case let .linear(factor):
            frequencies = frequencies.map { $0 / Float(factor) }
        case let .llama3(p):
            frequencies = frequencies.map { Self.llama3($0, p) }
        }
        inverseFrequencies = frequencies
    }

    /// One frequency under `rope_type: "llama3"`: long wavelengths divided by `factor`, short ones kept,
    /// the band between interpolated.
    private static func llama3(_ frequency: Float, _ p: Llama3RoPEScaling) -> Float {
        let original = Float(p.originalMaxPositionEmbeddings)
        let low = Float(p.lowFreqFactor), high = Float(p.highFreqFactor), factor = Float(p.factor)
        let wavelength = 2 * Float.pi / frequency
        if wavelength < original / high { return frequency }
        if wavelength > original / low { return frequency / factor }
        let smooth = (original / wavelength - low) / (high - low)
        return (1 - smooth) * frequency / factor + smooth * frequency
    }

    /// Rotates every head of `x` (`[rows, heads·headDim]`, every `sequenceLength` rows one sequence) in place;
    /// row `t` is position `t mod sequenceLength`. `inverse` rotates back by the same angles: the backward
    /// pass of the rotation, which is orthogonal.
    func apply<S: ForwardScalar>(_ x: inout Matrix<S>, heads: Int, sequenceLength: Int, inverse: Bool = false) {
        let half = headDim / 2, width = x.cols
        let positions = min(sequenceLength, x.rows)
        var cosines = [S](repeating: 0, count: positions * half)
        var sines = [S](repeating: 0, count: positions * half)
        for t in 0..<positions {
            for i in 0..<half {
                let angle = S(t) * S(inverseFrequencies[i])
                cosines[t * half + i] = S.cos(angle)
                sines[t * half + i] = inverse ? -S.sin(angle) : S.sin(angle)
            }
        }
        x.storage.withUnsafeMutableBufferPointer { xs in
            cosines.withUnsafeBufferPointer { cs in
                sines.withUnsafeBufferPointer { ss in
                    for t in 0..<x.rows {
                        let position = t % sequenceLength
                        for head in 0..<heads {
                            let base = t * width + head * headDim
                            for i in 0..<half {
                                let a = xs[base + i], b = xs[base + half + i]
                                let c = cs[position * half + i], s = ss[position * half + i]
                                xs[base + i] = a * c - b * s
                                xs[base + half + i] = b * c + a * s
                            }
                        }
                    }
                }
            }
        }
    }
}
