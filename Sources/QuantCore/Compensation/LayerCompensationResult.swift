/// One layer's compensation numbers at one budget: output error with and without compensation, recall,
/// traffic ("virtual bits") and host memory of the residual.
public struct LayerCompensationResult: Sendable, Codable, Equatable {
    public var layer: String
    public var kChunk: Int
    /// Channels fetched per position.
    public var channels: Int
    public var selection: ChannelSelection
    public var positions: Int
    /// `‖y_base − y_fp‖² / ‖y_fp‖²`.
    public var baseError: Double
    /// `‖y_comp − y_fp‖² / ‖y_fp‖²`.
    public var compensatedError: Double
    /// Share of the exact top-k channels chosen (nil at k = 0).
    public var recall: Double?
    /// The base quantizer's bits per weight.
    public var baseBits: Double
    /// `baseBits + fetched fraction × 4`: the weight traffic per position.
    public var virtualBits: Double
    /// Bytes of the 4-bit residual and its row scales in host memory.
    public var hostBytes: Int

    public init(layer: String, selector: ChannelSelector, tally: CompensationTally, baseBits: Double, residual: PackedResidual) {
        self.layer = layer
        kChunk = selector.budget.kChunk
        channels = selector.budget.total
        selection = selector.method
        positions = tally.positions
        baseError = tally.relativeBaseError
        compensatedError = tally.relativeCompensatedError
        recall = tally.recall
        self.baseBits = baseBits
        virtualBits = baseBits + selector.budget.fetchedFraction * 4
        hostBytes = (residual.hostBits + 7) / 8
    }

    /// Compensates one layer over `inputs` (`[positions, in]`) at every budget in `kChunks`: `weight` is
    /// the full-precision W, `quantized` the deployed Ŵ, both `[out, in]`.
    public static func sweep(layer: String, weight: Matrix<Float>, quantized: Matrix<Float>, baseBits: Double,
                             inputs: Matrix<Float>, thresholds: ActivationThresholds, kChunks: [Int],
                             selection: ChannelSelection, seed: UInt64 = 0) -> [LayerCompensationResult] {
        let residual = PackedResidual(weight: weight, quantized: quantized)
        let reference = inputs.matmul(weight, transposeOther: true)
        let base = inputs.matmul(quantized, transposeOther: true)
        return kChunks.map { k in
            let selector = ChannelSelector(method: selection, budget: ChannelBudget(channels: weight.cols, kChunk: k),
                                           thresholds: thresholds, seed: seed)
            var compensated = base
            let chosen = DynamicCompensation(residual: residual, selector: selector).compensate(inputs: inputs, outputs: &compensated)
            var tally = CompensationTally()
            tally.add(inputs: inputs, reference: reference, base: base, compensated: compensated, chosen: chosen, budget: selector.budget)
            return LayerCompensationResult(layer: layer, selector: selector, tally: tally, baseBits: baseBits, residual: residual)
        }
    }
}
