/// Running output-error and recall totals of one compensated layer over the positions it has seen.
///
/// Errors are against the full-precision output `y_fp = W x` of the same input, in fp64:
/// `‖y_base − y_fp‖²` for the quantized layer alone and `‖y_comp − y_fp‖²` with compensation. Recall is
/// the share of the exact global top-k channels (by |x|, k the layer's budget) that the selection chose.
public struct CompensationTally: Sendable, Codable, Equatable {
    public private(set) var positions = 0
    /// Σ ‖y_fp‖².
    public private(set) var referenceEnergy = 0.0
    /// Σ ‖y_base − y_fp‖².
    public private(set) var baseError = 0.0
    /// Σ ‖y_comp − y_fp‖².
    public private(set) var compensatedError = 0.0
    /// Σ k over positions (exact top-k channels looked for).
    public private(set) var wanted = 0
    /// How many of those the selection chose.
    public private(set) var recalled = 0

    public init() {}

    /// Adds a batch: `inputs` `[positions, in]`, the three outputs `[positions, out]`, and each position's
    /// chosen channels, for a layer fetching `budget.total` channels per position.
    public mutating func add(inputs: Matrix<Float>, reference: Matrix<Float>, base: Matrix<Float>, compensated: Matrix<Float>,
                             chosen: [[Int]], budget: ChannelBudget) {
        precondition(reference.shape == base.shape && base.shape == compensated.shape && chosen.count == inputs.rows)
        for i in reference.storage.indices {
            let r = Double(reference.storage[i])
            referenceEnergy += r * r
            let b = Double(base.storage[i]) - r, c = Double(compensated.storage[i]) - r
            baseError += b * b
            compensatedError += c * c
        }
        positions += inputs.rows
        let k = budget.total
        guard k > 0 else { return }
        inputs.storage.withUnsafeBufferPointer { x in
            for p in 0..<inputs.rows {
                let exact = Set(ChannelSelector.exactTopK(UnsafeBufferPointer(rebasing: x[p * inputs.cols..<(p + 1) * inputs.cols]), count: k))
                wanted += exact.count
                recalled += chosen[p].filter(exact.contains).count
            }
        }
    }

    /// `‖y_base − y_fp‖² / ‖y_fp‖²` over all positions.
    public var relativeBaseError: Double { referenceEnergy > 0 ? baseError / referenceEnergy : 0 }
    /// `‖y_comp − y_fp‖² / ‖y_fp‖²` over all positions.
    public var relativeCompensatedError: Double { referenceEnergy > 0 ? compensatedError / referenceEnergy : 0 }
    /// Chosen ∩ exact top-k over exact top-k; nil when nothing is fetched.
    public var recall: Double? { wanted > 0 ? Double(recalled) / Double(wanted) : nil }
}
