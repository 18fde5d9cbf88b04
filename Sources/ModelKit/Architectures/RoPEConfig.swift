/// Rotary position embedding settings of a Llama-family model (HF "rotate_half" layout).
public struct RoPEConfig: Sendable, Equatable {
    /// The base θ of `inv_freq[i] = θ^(-2i/d)`.
    public var theta: Double
    /// How `inv_freq` is rescaled once at init.
    public var scaling: RoPEScaling

    /// Settings given directly.
    public init(theta: Double, scaling: RoPEScaling = .none) {
        self.theta = theta
        self.scaling = scaling
    }

    /// Reads the v4 shape (`rope_theta` + `rope_scaling`) or the v5 shape (`rope_parameters`).
    init(_ fields: ConfigFields) throws(ModelConfigError) {
        if let parameters = try fields.optionalObject("rope_parameters") {
            let topLevelTheta = try fields.positiveDouble("rope_theta", default: 10_000)
            theta = try parameters.positiveDouble("rope_theta", default: topLevelTheta)
            scaling = try RoPEScaling(parameters)
        } else {
            theta = try fields.positiveDouble("rope_theta", default: 10_000)
            if let legacy = try fields.optionalObject("rope_scaling") {
                scaling = try RoPEScaling(legacy)
            } else {
                scaling = .none
            }
        }
        guard theta > 0 else {
            throw .invalidValue(file: fields.file, key: "rope_theta", reason: "must be positive, found \(theta)")
        }
    }
}

/// A RoPE frequency rescaling; types other than these are rejected with an error naming them.
public enum RoPEScaling: Sendable, Equatable {
    /// Plain RoPE (`rope_type: "default"` or no scaling).
    case none
    /// Positions divided by `factor` (equivalently every `inv_freq` divided by it).
    case linear(factor: Double)
    /// Llama 3.x wavelength-dependent scaling.
    case llama3(Llama3RoPEScaling)

    /// The rope types this package implements.
    public static let supportedTypes = ["default", "linear", "llama3"]

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        let legacyType = try fields.string("type", default: "default")
        let type = try fields.string("rope_type", default: legacyType)
        switch type {
        case "default":
            self = .none
        case "linear":
            self = .linear(factor: try fields.positiveDouble("factor"))
        case "llama3":
            self = .llama3(Llama3RoPEScaling(
                factor: try fields.positiveDouble("factor"),
                lowFreqFactor: try fields.positiveDouble("low_freq_factor"),
                highFreqFactor: try fields.positiveDouble("high_freq_factor"),
                originalMaxPositionEmbeddings: try fields.positiveInt("original_max_position_embeddings")))
        default:
            throw .invalidValue(file: fields.file, key: "\(fields.path).rope_type",
                                reason: "'\(type)' is not supported (supported: \(Self.supportedTypes.joined(separator: ", ")))")
        }
    }
}

/// The parameters of `rope_type: "llama3"`.
public struct Llama3RoPEScaling: Sendable, Equatable {
    public var factor: Double
    public var lowFreqFactor: Double
    public var highFreqFactor: Double
    public var originalMaxPositionEmbeddings: Int

    /// Parameters given directly.
    public init(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositionEmbeddings: Int) {
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
    }
}
