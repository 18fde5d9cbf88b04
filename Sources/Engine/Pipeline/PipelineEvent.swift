import ModelKit
import QuantCore

/// What a quantization run reports while it works.
public enum PipelineEvent: Sendable {
    /// Forward passes over the calibration windows of a block (`done` of `total`).
    case calibrating(block: Int, done: Int, total: Int)
    /// A layer's solve begins with `method` (a summary; `index` counts selected layers from 0).
    case layerStarted(layer: LinearLayer, method: String, index: Int, total: Int)
    /// A solver report for the layer being solved.
    case solverProgress(layer: LinearLayer, progress: SolverProgress)
    /// A layer is done.
    case layerFinished(LayerOutcome)
}

/// One quantized layer of a run.
public struct LayerOutcome: Sendable {
    public var layer: LinearLayer
    /// The method's one-line summary.
    public var method: String
    public var result: SolveResult<Float>
    /// rel_err of the deployed weight (grid + outliers) on this layer's own calibration Σ.
    public var relativeError: Double
    /// Calibration tokens behind Σ.
    public var tokens: Int
    public var dequantized: Matrix<Float>
    /// Where the weighted error of the deployed weight lies (nil where the exact objective is too costly).
    public var errorMap: ErrorMap?

    public init(layer: LinearLayer, method: String, result: SolveResult<Float>, relativeError: Double, tokens: Int, dequantized: Matrix<Float>,
                errorMap: ErrorMap? = nil) {
        self.layer = layer
        self.method = method
        self.result = result
        self.relativeError = relativeError
        self.tokens = tokens
        self.dequantized = dequantized
        self.errorMap = errorMap
    }
}
