import QuantCore

/// QDEC (DecDEC) on top of a run's quantized layers: the end-to-end metric and the per-layer numbers at
/// every budget and selection method. Budget 0 is the quantized model without compensation.
public struct CompensationSweep: Sendable, Codable, Equatable {
    /// One budget with one selection method.
    public struct Point: Sendable, Codable, Equatable {
        public var kChunk: Int
        public var selection: ChannelSelection
        /// Mean embedding cosine against the reference (encoders).
        public var meanCosine: Double?
        /// Top-1 nearest-neighbour agreement with the reference (encoders).
        public var neighbourAgreement: Double?
        /// Perplexity (causal LMs).
        public var perplexity: Double?
        /// Parameter-weighted mean over the layers of `base bits + fetched fraction × 4`.
        public var virtualBits: Double
        /// Mean over layers of the recall of the exact top-k channels (nil at k = 0).
        public var recall: Double?
        /// Mean over layers of `‖y_base − y_fp‖² / ‖y_fp‖²`.
        public var baseError: Double
        /// Mean over layers of `‖y_comp − y_fp‖² / ‖y_fp‖²`.
        public var compensatedError: Double
        public var layers: [LayerCompensationResult]

        public init(kChunk: Int, selection: ChannelSelection, meanCosine: Double?, neighbourAgreement: Double?, perplexity: Double?,
                    layers: [LayerCompensationResult], parameters: [String: Int]) {
            self.kChunk = kChunk
            self.selection = selection
            self.meanCosine = meanCosine
            self.neighbourAgreement = neighbourAgreement
            self.perplexity = perplexity
            self.layers = layers
            let weights = layers.map { Double(parameters[$0.layer] ?? 0) }
            let total = weights.reduce(0, +)
            virtualBits = total > 0 ? zip(layers, weights).reduce(0) { $0 + $1.0.virtualBits * $1.1 } / total : 0
            let recalls = layers.compactMap(\.recall)
            recall = recalls.isEmpty ? nil : recalls.reduce(0, +) / Double(recalls.count)
            let n = Double(max(layers.count, 1))
            baseError = layers.reduce(0) { $0 + $1.baseError } / n
            compensatedError = layers.reduce(0) { $0 + $1.compensatedError } / n
        }

        /// The model metric as one number: cosine for encoders, perplexity for causal LMs.
        public var metric: Double { meanCosine ?? perplexity ?? .nan }

        /// The name of `metric`.
        public var metricName: String { CompensationSweep.metricName(embedding: meanCosine != nil) }
    }

    /// `embedding` or `perplexity`.
    public var kind: String
    /// Held-out sentences or windows.
    public var samples: Int
    /// Calibration tokens the thresholds came from.
    public var calibrationPositions: Int
    /// The reference perplexity (causal LMs).
    public var referencePerplexity: Double?
    /// What the model is compared with (`FP32`, `GGUF Q4_1`).
    public var referenceLabel: String
    /// Host memory of every compensated layer's residual, in bytes.
    public var hostBytes: Int
    /// Where the held-out text came from.
    public var source: String
    public var points: [Point]

    public init(kind: String, samples: Int, calibrationPositions: Int, referencePerplexity: Double?, referenceLabel: String = "FP32",
                hostBytes: Int, source: String, points: [Point]) {
        self.referenceLabel = referenceLabel
        self.kind = kind
        self.samples = samples
        self.calibrationPositions = calibrationPositions
        self.referencePerplexity = referencePerplexity
        self.hostBytes = hostBytes
        self.source = source
        self.points = points
    }

    /// The name of the model metric.
    public var metricName: String { Self.metricName(embedding: kind == "embedding") }

    /// The model metric of an encoder (`embedding`) or a causal LM.
    public static func metricName(embedding: Bool) -> String { embedding ? "cosine" : "perplexity" }
}
