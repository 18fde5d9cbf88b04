/// The continuous parameters block fine-tuning may train, by group; the codes (grid codes, codebook codes,
/// outlier positions) never change.
public enum TunableGroup: String, CaseIterable, Codable, Sendable, Comparable {
    /// Grid scales per row or group; AQLM's per-row scales.
    case scales
    /// Grid zero points as continuous values. Only the run folder and dense exports carry them; the GPTQ,
    /// compressed-tensors and GGUF exports store whole zero points (and refuse others), so off by default.
    case zeros
    /// AQLM codebook vectors.
    case codebooks
    /// The values of the full-precision outliers (their positions stay).
    case outliers
    /// The block's norm weights and biases.
    case norms
    /// The biases of the block's linears.
    case biases

    /// What a run trains unless told otherwise: everything but `zeros`.
    public static let defaults: [TunableGroup] = [.scales, .codebooks, .outliers, .norms, .biases]

    /// Whether the group belongs to a quantized layer (the rest are block tensors).
    public var isLayerGroup: Bool { [.scales, .zeros, .codebooks, .outliers].contains(self) }

    public static func < (a: TunableGroup, b: TunableGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
