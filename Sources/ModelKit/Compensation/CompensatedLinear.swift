import Foundation
import QuantCore

/// Dynamic error compensation on one quantized linear inside the forward pass (DecDEC's `ppl` mode: every
/// position is compensated as if decoded alone), tallying the layer's output error against its
/// full-precision weight on the inputs it actually sees.
public final class CompensatedLinear: LinearOutputAdjustment, @unchecked Sendable {
    public let layer: String
    public let compensation: DynamicCompensation
    /// The full-precision `[out, in]` weight, for the error tally.
    let weight: Matrix<Float>
    let baseBits: Double
    private let lock = NSLock()
    private var tally = CompensationTally()

    public init(layer: String, compensation: DynamicCompensation, weight: Matrix<Float>, baseBits: Double) {
        self.layer = layer
        self.compensation = compensation
        self.weight = weight
        self.baseBits = baseBits
    }

    public func adjust(_ output: inout Matrix<Float>, input: Matrix<Float>) {
        let base = output
        let chosen = compensation.compensate(inputs: input, outputs: &output)
        let reference = input.matmul(weight, transposeOther: true)
        let compensated = output
        lock.withLock {
            tally.add(inputs: input, reference: reference, base: base, compensated: compensated, chosen: chosen,
                      budget: compensation.selector.budget)
        }
    }

    /// The numbers over every position seen so far.
    public var result: LayerCompensationResult {
        LayerCompensationResult(layer: layer, selector: compensation.selector, tally: lock.withLock { tally }, baseBits: baseBits,
                                residual: compensation.residual)
    }
}
