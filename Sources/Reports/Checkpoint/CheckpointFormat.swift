/// The checkpoint formats `quantbench export` writes, each for the loaders named in `loaders`.
public enum CheckpointFormat: String, CaseIterable, Sendable {
    /// GPTQ-packed integer weights (GPTQModel, AutoGPTQ, transformers + optimum).
    case gptq
    /// llm-compressor's `pack-quantized` layout (transformers, vLLM).
    case compressedTensors = "compressed-tensors"
    /// Additive codebooks (transformers `AqlmConfig` with the `aqlm` kernels).
    case aqlm
    /// One llama.cpp GGUF file with Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 blocks (Llama-family models).
    case gguf
    /// Ŵ (with its outliers) as plain weights in the checkpoint's own dtype: exact, uncompressed.
    case dense

    /// Who reads it, for help texts and refusals.
    public var loaders: String {
        switch self {
        case .gptq: "GPTQModel, AutoGPTQ, transformers with optimum"
        case .compressedTensors: "transformers and vLLM through compressed-tensors"
        case .aqlm: "transformers with the aqlm package"
        case .gguf: "llama.cpp and the gguf package"
        case .dense: "any safetensors loader (transformers, vLLM)"
        }
    }

    /// The formats as the `--format` option lists them.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// What an export does with layers that keep outliers in full precision: no loader on CPU takes quantized
/// weights plus a sparse full-precision part, so the default is to refuse and say why.
public enum OutlierHandling: String, CaseIterable, Sendable {
    /// Refuse to export a run whose layers keep outliers (except as `dense`, which holds them exactly).
    case refuse
    /// Write the layers with outliers as dense weights (Ŵ + outliers), listed as not quantized in the format's
    /// config; the other layers stay quantized.
    case denseLayers = "dense-layers"
    /// Write the whole model dense (the `dense` format): exact, uncompressed.
    case fold
    /// Leave the outliers out: the layers lose them; the cost is reported per layer.
    case drop

    /// What it does, in a line.
    public var summary: String {
        switch self {
        case .refuse: "say why and write nothing (dense keeps outliers exactly)"
        case .denseLayers: "layers with outliers stay dense, the rest quantized"
        case .fold: "the whole model dense, outliers folded in: exact, uncompressed"
        case .drop: "outliers left out (the cost is printed per layer)"
        }
    }

    /// The values as the `--outliers` option lists them.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// The choices of one export.
public struct ExportOptions: Sendable {
    public var format: CheckpointFormat
    public var outliers: OutlierHandling
    /// Shards hold at most this many bytes of tensors (a larger tensor gets a shard of its own).
    public var shardBytes: Int
    /// Replace an existing output folder.
    public var replace: Bool

    /// The shard limit when none is given: 2 GiB, as large as a safetensors file many tools mmap comfortably.
    public static let defaultShardBytes = 2 << 30

    public init(format: CheckpointFormat, outliers: OutlierHandling = .refuse, shardBytes: Int = defaultShardBytes, replace: Bool = false) {
        self.format = format
        self.outliers = outliers
        self.shardBytes = shardBytes
        self.replace = replace
    }
}
