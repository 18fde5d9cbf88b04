import QuantCore

/// DecDEC's offline thresholds, from the full-precision model: every selected linear's inputs on
/// calibration windows, block by block, into one `ActivationThresholds` per layer.
public enum CompensationCalibration {
    /// Thresholds of `layers` from `model` (which must hold its checkpoint weights, nothing replaced) on
    /// whole windows taken in order until at least `positions` tokens are seen (all windows when fewer).
    public static func thresholds(model: TransformerModel, windows: [[Int]], layers: [LinearLayer],
                                  positions: Int) throws(ForwardError) -> [String: ActivationThresholds] {
        var used: [[Int]] = []
        var count = 0
        for w in windows where count < positions && !w.isEmpty {
            used.append(w)
            count += w.count
        }
        var stats = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, ActivationThresholds(channels: $0.inFeatures)) })
        guard let lastBlock = layers.map(\.block).max(), !used.isEmpty else { return stats }
        var hidden: [Matrix<Float>] = []
        for window in used { hidden.append(try model.embed(window)) }
        for block in 0...lastBlock {
            for i in hidden.indices {
                hidden[i] = try model.block(block, hidden[i]) { layer, input in
                    if stats[layer.name] != nil { stats[layer.name]!.observe(input) }
                }
            }
            model.releaseBlock(block)
        }
        return stats
    }
}
