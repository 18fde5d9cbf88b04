import ModelKit
/// Where each block's calibration inputs come from (research note §0.2).
public enum PipelineMode: String, Sendable, Codable, CaseIterable {
    /// Inputs of block i+1 come from the already-quantized block i (GPTQ / QuantEase reference pipeline).
    case blockSequential = "block-sequential"
    /// Every layer sees the inputs of the full-precision model.
    case fromFullPrecision = "from-fp"
}

/// How a whole-model quantization run walks the model.
public struct PipelineOptions: Sendable, Equatable, Codable {
    public var mode: PipelineMode
    /// Inside a block, quantize the linears that share an input (q/k/v, then o, then up/gate or fc1, then
    /// down or fc2) one group at a time and re-collect Σ for the next group from the partly quantized block.
    /// Only meaningful in block-sequential mode.
    public var trueSequential: Bool
    public var selection: LayerSelection
    /// For models too large to hold as fp32: a block's quantized weights leave memory once its outputs are
    /// computed, and no Σ is kept for later re-solves (results live in the run folder).
    public var boundedMemory: Bool
    /// Fine-tune each block after its layers are quantized; nil leaves the layer-wise results as they are.
    public var tuning: BlockTuningOptions?

    public init(mode: PipelineMode = .blockSequential, trueSequential: Bool = false, selection: LayerSelection = .all,
                boundedMemory: Bool = false, tuning: BlockTuningOptions? = nil) {
        self.mode = mode
        self.trueSequential = trueSequential
        self.selection = selection
        self.boundedMemory = boundedMemory
        self.tuning = tuning
    }

    /// A phrase for reports, e.g. `block-sequential, true-sequential`.
    public var description: String {
        mode.rawValue + (mode == .blockSequential && trueSequential ? ", true-sequential" : "") + (boundedMemory ? ", bounded memory" : "")
            + (tuning.map { ", block fine-tuning (\($0.description))" } ?? "")
    }
}
