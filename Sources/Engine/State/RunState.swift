import QuantCore

/// The state of a run as a pure reducer over `EngineEvent`s: the layer table, per-layer sweep series,
/// comparisons, warnings and status. Consumers keep a copy and snapshot it; nothing here blocks a solver.
public struct RunState: Sendable, Equatable {
    /// Where a layer is.
    public enum LayerPhase: String, Sendable, Codable, Equatable {
        case pending, running, done, failed
    }

    /// One row of the layer table.
    public struct LayerRow: Sendable, Equatable {
        public var info: LayerInfo
        public var phase: LayerPhase = .pending
        public var method: String? = nil
        public var summary: LayerSummary? = nil
        /// Solver reports of the current (or last) solve of this layer.
        public var sweeps: [SolverProgress] = []
        /// Other solves of the same layer (re-solves with new settings, other methods), newest last.
        public var comparisons: [LayerSummary] = []
        public var error: String? = nil
    }

    public var info: RunInfo?
    public var layers: [LayerRow] = []
    public var status: RunStatus? = nil
    public var paused = false
    public var warnings: [String] = []
    public var errors: [String] = []
    /// The last calibration progress: block, done, total.
    public var calibration: (block: Int, done: Int, total: Int)? = nil
    /// The layer currently being solved.
    public var activeLayer: String? = nil

    public init() {}

    public static func == (a: RunState, b: RunState) -> Bool {
        a.info == b.info && a.layers == b.layers && a.status == b.status && a.paused == b.paused &&
            a.warnings == b.warnings && a.errors == b.errors && a.activeLayer == b.activeLayer &&
            a.calibration?.block == b.calibration?.block && a.calibration?.done == b.calibration?.done &&
            a.calibration?.total == b.calibration?.total
    }

    /// Folds one event into the state.
    public mutating func apply(_ event: EngineEvent) {
        switch event {
        case let .runStarted(info):
            // A resumed run keeps the rows it already has.
            let previous = Dictionary(layers.map { ($0.info.name, $0) }, uniquingKeysWith: { a, _ in a })
            self.info = info
            layers = info.layers.map { previous[$0.name] ?? LayerRow(info: $0) }
            status = nil
        case let .calibrating(block, done, total):
            calibration = (block, done, total)
        case let .layerStarted(name, method):
            update(name) { $0.phase = .running; $0.method = method; $0.sweeps = []; $0.error = nil }
            activeLayer = name
        case let .sweepFinished(name, progress):
            update(name) { $0.sweeps.append(progress) }
        case let .layerFinished(summary):
            update(summary.name) {
                if let old = $0.summary, old.method != summary.method || old.bits != summary.bits { $0.comparisons.append(old) }
                $0.phase = .done
                $0.summary = summary
                $0.method = summary.method
            }
            if activeLayer == summary.name { activeLayer = nil }
        case let .comparisonFinished(summary):
            update(summary.name) { $0.comparisons.append(summary) }
        case let .warning(message):
            warnings.append(message)
        case let .error(layer, message):
            errors.append(layer.map { "\($0): \(message)" } ?? message)
            if let layer { update(layer) { $0.phase = .failed; $0.error = message } }
        case let .paused(p):
            paused = p
        case let .runFinished(s):
            status = s
            activeLayer = nil
            for i in layers.indices where layers[i].phase == .running { layers[i].phase = .pending }
        }
    }

    private mutating func update(_ name: String, _ change: (inout LayerRow) -> Void) {
        if let i = layers.firstIndex(where: { $0.info.name == name }) { change(&layers[i]) }
    }

    /// Finished layers.
    public var finished: [LayerSummary] { layers.compactMap(\.summary) }

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
        guard !e.isEmpty else { return nil }
        let mid = e.count / 2
        return (e.count % 2 == 1 ? e[mid] : (e[mid - 1] + e[mid]) / 2, e.last!)
    }

    /// The run is incomplete: not every listed layer is done.
    public var isIncomplete: Bool { layers.contains { $0.phase != .done } }
}
