import OrderedCollections
import QuantCore

/// The state of a run as a pure reducer over `EngineEvent`s: the layer table, per-layer sweep series,
/// comparisons, warnings and status. Consumers keep a copy and snapshot it; nothing here blocks a solver.
public struct RunState: Sendable, Equatable {
    /// One row of the layer table.
    public struct LayerRow: Sendable, Equatable {
        public var info: LayerInfo
        public var phase: LayerPhase = .pending
        /// The method of the current (or last) solve.
        public var method: LayerMethod? = nil
        /// The layer's result (kept when a later re-solve is cancelled or fails).
        public var summary: LayerSummary? = nil
        /// Solver reports of the current (or last) solve of this layer.
        public var sweeps: [SolverProgress] = []
        /// Other solves of the same layer (re-solves with other settings, other methods), newest last.
        public var comparisons: [LayerSummary] = []
        /// Solver reports of the comparison solves, one curve per method (the latest solve of each).
        public var comparisonCurves: [ComparisonCurve] = []

        public init(info: LayerInfo) { self.info = info }
    }

    /// The last calibration progress of a block.
    public var info: RunInfo?
    /// The layer table in model order, by name.
    public private(set) var rows: OrderedDictionary<String, LayerRow> = [:]
    public var status: RunStatus? = nil
    public var paused = false
    public var warnings: [String] = []
    public var errors: [String] = []
    public var calibration: CalibrationProgress? = nil
    /// The layer currently being solved.
    public var activeLayer: String? = nil
    /// The latest QDEC sweep asked of the job (its points so far, or how it ended).
    public var compensation: CompensationState? = nil
    /// Block fine-tuning: the steps of the block being tuned (or the last one) and every finished block's summary.
    public var tuning = TuningState()
    /// The bit allocation the run follows (recipes with `allocate:`), as last chosen.
    public var allocation: AllocationPlan? = nil

    public init() {}

    /// The rows in model order.
    public var layers: OrderedDictionary<String, LayerRow>.Values { rows.values }

    /// Folds one event into the state.
    public mutating func apply(_ event: EngineEvent) {
        switch event {
        case let .runStarted(info):
            // A resumed run keeps the rows it already has.
            let previous = rows
            self.info = info
            rows = OrderedDictionary(uniqueKeysWithValues: info.layers.map { ($0.name, previous[$0.name] ?? LayerRow(info: $0)) })
            status = nil
        case let .calibrating(progress):
            calibration = progress
        case let .layerStarted(name, method):
            rows[name]?.phase = .solving
            rows[name]?.method = method
            rows[name]?.sweeps = []
            activeLayer = name
        case let .sweepFinished(name, progress):
            rows[name]?.sweeps.append(progress)
        case let .layerFinished(summary):
            rows[summary.name]?.finish(summary)
            settle(summary.name)
        case let .comparisonSweep(name, method, progress):
            rows[name]?.addComparisonSweep(progress, of: method)
        case let .comparisonFinished(summary):
            rows[summary.name]?.comparisons.append(summary)
        case let .tuningProgress(progress):
            tuning.apply(progress)
        case let .blockTuned(summary):
            tuning.finish(summary)
        case let .allocated(plan):
            allocation = plan
        case let .solveCancelled(c):
            guard c.replacesMain else { break }
            rows[c.layer]?.phase = .cancelled(after: c.step, of: c.totalSteps)
            settle(c.layer)
        case .unavailable, .requestEnded, .sampleStarted, .sampleFinished, .sampleFailed:
            break
        case let .compensationStarted(request):
            compensation = CompensationState(request: request)
        case .compensationProgress, .compensationFinished, .compensationCancelled, .compensationFailed:
            compensation?.apply(event)
        case let .warning(message):
            warnings.append(message)
        case let .error(layer, message):
            errors.append(layer.map { "\($0): \(message)" } ?? message)
            if let layer {
                rows[layer]?.phase = .failed(message)
                settle(layer)
            }
        case let .paused(p):
            paused = p
        case let .runFinished(s):
            status = s
            activeLayer = nil
            // A solve the run left behind (it ended without a result or a cancel for it) goes back to what the layer has.
            for i in rows.values.indices where rows.values[i].phase == .solving {
                rows.values[i].phase = rows.values[i].summary == nil ? .pending : .done
            }
        }
    }

    private mutating func settle(_ name: String) {
        if activeLayer == name { activeLayer = nil }
    }

    /// Layers with a result.
    public var finished: [LayerSummary] { rows.values.filter { !$0.phase.isFailed }.compactMap(\.summary) }

    /// Parameter-weighted mean bits per weight over finished layers.
    public var meanBitsPerWeight: Double? {
        let done = finished
        let n = done.reduce(0.0) { $0 + Double($1.rows * $1.cols) }
        guard n > 0 else { return nil }
        return done.reduce(0.0) { $0 + $1.bitsPerWeight * Double($1.rows * $1.cols) } / n
    }

    /// Median and worst rel_err over finished layers.
    public var relErrStats: (median: Double, worst: Double)? {
        let e = finished.map(\.relErr).sorted()
        guard let worst = e.last else { return nil }
        let mid = e.count / 2
        return (e.count % 2 == 1 ? e[mid] : (e[mid - 1] + e[mid]) / 2, worst)
    }

    /// The run is incomplete: a listed layer has no result.
    public var isIncomplete: Bool { rows.values.contains { $0.summary == nil || $0.phase.isFailed } }
}

extension RunState.LayerRow {
    /// A solve finished: a result with other settings than the current one stays as a comparison.
    mutating func finish(_ summary: LayerSummary) {
        if let old = self.summary, old.method != summary.method { comparisons.append(old) }
        phase = .done
        self.summary = summary
        method = summary.method
    }
}
