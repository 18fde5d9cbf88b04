import ModelKit
import QuantCore

/// What a quantization run reports while it works.
public enum PipelineEvent: Sendable {
    /// Forward passes over the calibration windows of a block (`done` of `total`).
    case calibrating(CalibrationProgress)
    /// A layer's solve begins with `method` (`index` counts selected layers from 0).
    case layerStarted(layer: LinearLayer, method: LayerMethod, index: Int, total: Int)
    /// A solver report for the layer being solved.
    case solverProgress(layer: LinearLayer, progress: SolverProgress)
    /// A solver report of one of the run's comparison methods on the layer just solved.
    case comparisonProgress(layer: LinearLayer, method: LayerMethod, progress: SolverProgress)
    /// A layer is done.
    case layerFinished(LayerOutcome)
    /// The layer just finished, solved again with one of the run's comparison methods on the same Σ.
    case comparisonFinished(LayerOutcome)
    /// A layer's solver stopped early on cancellation; the partial result is not put into the model and
    /// the run stops.
    case layerCancelled(LayerOutcome)
    /// One step of a block's fine-tuning.
    case tuningProgress(TuningProgress)
    /// A block's fine-tuning is done: its layers with their trained values by name (in the model now; none
    /// when tuning kept the layer-wise result) and the block tensors that trained.
    case blockTuned(TunedBlock, layers: [String: QuantizedLayer<Float>])
}

/// A fine-tuned block: what the tuning did, and the norms and biases it trained, by full tensor name
/// (empty when the layer-wise result was kept).
public struct TunedBlock: Sendable {
    public var summary: BlockTuningSummary
    public var vectors: [String: [Float]]

    public init(summary: BlockTuningSummary, vectors: [String: [Float]]) {
        self.summary = summary
        self.vectors = vectors
    }
}

/// One quantized layer of a run.
public struct LayerOutcome: Sendable {
    public var layer: LinearLayer
    /// The method and settings the layer was solved with.
    public var layerMethod: LayerMethod
    public var result: SolveResult<Float>
    /// rel_err of the deployed weight (grid + outliers) on this layer's own calibration Σ.
    public var relativeError: Double
    /// Calibration tokens behind Σ.
    public var tokens: Int
    public var dequantized: Matrix<Float>
    /// Where the weighted error of the deployed weight lies (nil where the exact objective is too costly).
    public var errorMap: ErrorMap?

    public init(layer: LinearLayer, method: LayerMethod, result: SolveResult<Float>, relativeError: Double, tokens: Int,
                dequantized: Matrix<Float>, errorMap: ErrorMap? = nil) {
        self.layer = layer
        self.layerMethod = method
        self.result = result
        self.relativeError = relativeError
        self.tokens = tokens
        self.dequantized = dequantized
        self.errorMap = errorMap
    }
}
