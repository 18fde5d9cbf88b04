import QuantCore

/// Everything a running job tells its consumers (the workbench, the headless progress line, the run
/// folder). Events are values; `RunState.apply` folds them into the state a screen or report shows.
public enum EngineEvent: Sendable, Equatable {
    /// The run begins: what runs, on which layers.
    case runStarted(RunInfo)
    /// Calibration forward passes of a block (`done` of `total` windows).
    case calibrating(CalibrationProgress)
    /// A layer's solve begins (the run's, or a re-solve that replaces the layer's result).
    case layerStarted(layer: String, method: LayerMethod)
    /// A solver report: a CD sweep, a GPTQ block of columns, an outlier iteration.
    case sweepFinished(layer: String, progress: SolverProgress)
    /// A layer is done.
    case layerFinished(LayerSummary)
    /// A solver report of a comparison solve (a recipe's `compare`, or the user's): its curve, beside the layer's own.
    case comparisonSweep(layer: String, method: LayerMethod, progress: SolverProgress)
    /// A re-solve or comparison of a layer finished (kept beside the layer's main result).
    case comparisonFinished(LayerSummary)
    /// One step of a block's fine-tuning (after its layers are solved).
    case tuningProgress(TuningProgress)
    /// A block's fine-tuning is done (told again for the blocks a resumed run kept).
    case blockTuned(BlockTuningSummary)
    /// The per-layer choice under the bits/weight budget: measured before the run (told at its start), or chosen
    /// again for a new budget (`EngineCommand.allocate`); layers solved from now on take it.
    case allocated(AllocationPlan)
    /// A solve stopped early on the user's cancel; it is not a result of the layer.
    case solveCancelled(CancelledSolve)
    /// A re-solve or comparison that cannot run now (the layer is not calibrated yet); the layer's
    /// state does not change.
    case unavailable(layer: String, reason: String)
    /// A re-solve or comparison is over: its result, cancel or failure came just before.
    case requestEnded(LayerRequest)
    /// Something the user should know that does not stop the run.
    case warning(String)
    /// Something that failed; `layer` names the layer when the failure is one layer's.
    case error(layer: String?, message: String)
    /// The job began generating the watched sample (it was asked for, or the model changed since).
    case sampleStarted(SampleRequest)
    /// The sample of the model as it stood when it was generated.
    case sampleFinished(SampleRequest, GreedySample)
    /// The sample could not be generated (the model cannot be sampled, the prompt does not fit it).
    case sampleFailed(SampleRequest, message: String)
    /// The job began the QDEC sweep.
    case compensationStarted(CompensationRequest)
    /// A point of the sweep is done, with the sweep's evaluations done and its ETA.
    case compensationProgress(CompensationRequest, CompensationProgress)
    /// The whole sweep.
    case compensationFinished(CompensationRequest, CompensationSweep)
    /// The sweep stopped on the user's cancel; the points so far came before.
    case compensationCancelled(CompensationRequest)
    /// The sweep could not run (no layer quantized, a model that cannot be compensated) or failed.
    case compensationFailed(CompensationRequest, message: String)
    /// The run is paused / resumed.
    case paused(Bool)
    /// The run ended.
    case runFinished(RunStatus)
}

/// How a run ended.
public enum RunStatus: String, Sendable, Codable, Equatable {
    case completed
    /// Stopped by the user; finished layers are kept and the run can be resumed.
    case cancelled
    case failed
}

/// What a run is about, sent once at its start.
public struct RunInfo: Sendable, Equatable, Codable {
    public var model: String
    public var architecture: String
    public var blocks: Int
    /// Every selected layer, in model order.
    public var layers: [LayerInfo]
    public var method: LayerMethod
    public var pipeline: String
    public var calibration: String
    /// Whether the model is a causal LM, which the workbench can sample (not written to reports).
    public var causalLM = false

    private enum CodingKeys: String, CodingKey {
        case model, architecture, blocks, layers, method, pipeline, calibration
    }

    public init(model: String, architecture: String, blocks: Int, layers: [LayerInfo], method: LayerMethod, pipeline: String, calibration: String,
                causalLM: Bool = false) {
        self.model = model
        self.architecture = architecture
        self.blocks = blocks
        self.layers = layers
        self.method = method
        self.pipeline = pipeline
        self.calibration = calibration
        self.causalLM = causalLM
    }
}

/// A layer as the run lists it before solving.
public struct LayerInfo: Sendable, Equatable, Codable {
    public var name: String
    public var block: Int
    public var rows: Int
    public var cols: Int

    public init(name: String, block: Int, rows: Int, cols: Int) {
        self.name = name
        self.block = block
        self.rows = rows
        self.cols = cols
    }

    /// The module path without the block, e.g. `attention.self.query` (a heatmap column).
    public var kind: String {
        guard let dot = name.firstIndex(of: "."), Int(name[..<dot]) != nil else { return name }
        return String(name[name.index(after: dot)...])
    }
}

/// A finished layer: the numbers of the layer table and the report.
public struct LayerSummary: Sendable, Equatable, Codable {
    public var name: String
    public var block: Int
    public var rows: Int
    public var cols: Int
    public var method: LayerMethod
    public var bits: Int
    public var relErr: Double
    public var bitsPerWeight: Double
    public var outliers: Int
    public var seconds: Double
    public var calibrationTokens: Int
    public var notes: [String]
    /// Where the layer's weighted error lies, for the workbench's per-layer heatmap (not written to reports).
    public var errorMap: ErrorMap? = nil

    private enum CodingKeys: String, CodingKey {
        case name, block, rows, cols, method, bits, relErr, bitsPerWeight, outliers, seconds, calibrationTokens, notes
    }

    public init(name: String, block: Int, rows: Int, cols: Int, method: LayerMethod, bits: Int, relErr: Double,
                bitsPerWeight: Double, outliers: Int, seconds: Double, calibrationTokens: Int, notes: [String], errorMap: ErrorMap? = nil) {
        self.name = name
        self.block = block
        self.rows = rows
        self.cols = cols
        self.method = method
        self.bits = bits
        self.relErr = relErr
        self.bitsPerWeight = bitsPerWeight
        self.outliers = outliers
        self.seconds = seconds
        self.calibrationTokens = calibrationTokens
        self.notes = notes
        self.errorMap = errorMap
    }
}

/// A solve the user cancelled: which layer, with what, and how far it got.
public struct CancelledSolve: Sendable, Equatable, Codable {
    public var layer: String
    public var method: LayerMethod
    /// The solver reports it made, of the ones it would have made.
    public var step: Int
    public var totalSteps: Int
    /// It was the layer's main solve (the run's, or a re-solve), not a comparison.
    public var replacesMain: Bool

    public init(layer: String, method: LayerMethod, step: Int, totalSteps: Int, replacesMain: Bool) {
        self.layer = layer
        self.method = method
        self.step = step
        self.totalSteps = totalSteps
        self.replacesMain = replacesMain
    }
}
