import QuantCore

/// The QDEC evaluation mode of a fake-quant model: the 4-bit residual of every quantized linear
/// (against the checkpoint's weight), and a `CompensatedLinear` on each of them for one budget and
/// selection method at a time.
///
/// ```swift
/// let dec = try CompensatedModel(model: quantized, layers: ["0.attention.self.query": (wHat, 3.02), …],
///                                thresholds: CompensationCalibration.thresholds(model: fp, windows: w, layers: l, positions: 2048))
/// let linears = try dec.install(kChunk: 8, selection: .bucket)
/// let logits = quantized.forward(tokens)            // every position of every quantized linear compensated
/// let perLayer = linears.map(\.result)
/// try dec.remove()
/// ```
///
/// Holds every quantized layer's full-precision weight in fp32 for the error tally, besides the packed
/// residual (4 bits per weight).
public final class CompensatedModel: @unchecked Sendable {
    /// The model whose quantized layers are compensated (their weights already replaced by Ŵ).
    public let model: TransformerModel
    /// Per layer: the full-precision weight, the packed residual, the base bits and the thresholds.
    private let parts: [(layer: String, weight: Matrix<Float>, residual: PackedResidual, bits: Double, thresholds: ActivationThresholds)]

    /// `layers` maps a linear's name to its deployed weight Ŵ and its bits per weight; `thresholds` must
    /// cover every one of them.
    public init(model: TransformerModel, layers: [String: (quantized: Matrix<Float>, bits: Double)],
                thresholds: [String: ActivationThresholds]) throws {
        self.model = model
        var parts: [(String, Matrix<Float>, PackedResidual, Double, ActivationThresholds)] = []
        for linear in model.linearLayers {
            guard let (quantized, bits) = layers[linear.name] else { continue }
            guard let stats = thresholds[linear.name] else { throw ForwardError.missingThresholds(layer: linear.name) }
            let weight = try model.checkpoint.loadLinearWeight(linear.name)
            guard quantized.shape == weight.shape else {
                throw ForwardError.replacementShape(layer: linear.name, expected: weight.shape, actual: quantized.shape)
            }
            parts.append((linear.name, weight, PackedResidual(weight: weight, quantized: quantized), bits, stats))
        }
        self.parts = parts
    }

    /// The compensated layers' names, in model order.
    public var layerNames: [String] { parts.map(\.layer) }

    /// Installs compensation at `kChunk` channels per 1024 with `selection` on every layer, replacing any
    /// earlier installation; returns the layers' tallies (empty).
    @discardableResult
    public func install(kChunk: Int, selection: ChannelSelection, seed: UInt64 = 0) throws -> [CompensatedLinear] {
        try parts.map { part in
            let selector = ChannelSelector(method: selection, budget: ChannelBudget(channels: part.weight.cols, kChunk: kChunk),
                                           thresholds: part.thresholds, seed: seed)
            let linear = CompensatedLinear(layer: part.layer, compensation: DynamicCompensation(residual: part.residual, selector: selector),
                                           weight: part.weight, baseBits: part.bits)
            try model.setOutputAdjustment(part.layer, linear)
            return linear
        }
    }

    /// Removes compensation from every layer.
    public func remove() throws {
        for part in parts { try model.setOutputAdjustment(part.layer, nil) }
    }
}
