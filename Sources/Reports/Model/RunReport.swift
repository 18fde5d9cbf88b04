import Foundation
import QuantCore
import Engine

/// Everything a run folder's `run.json` holds: the recipe, the machine, the run's layers, sweeps and
/// comparisons, its status and timings, and summary statistics. Every other report format renders one.
///
/// ```swift
/// let report = RunReport(state: state, recipe: yaml, recipeName: "minilm-3bit", toolVersion: "0.1.0",
///                        environment: .current(), started: start, finished: Date())
/// try ReportWriter.write(report, formats: ReportFormat.allCases, to: runFolder)
/// ```
public struct RunReport: Sendable, Equatable, Codable {
    /// The `run.json` schema this build writes and reads.
    public static let currentSchemaVersion = 2
    /// The name of the JSON file in a run folder.
    public static let fileName = "run.json"

    public var schemaVersion: Int
    public var toolVersion: String
    /// The full recipe text as given.
    public var recipe: String
    public var recipeName: String?
    public var environment: RunEnvironment
    public var info: RunInfo
    public var status: RunReportStatus
    /// Not every selected layer finished (or the run has not ended).
    public var incomplete: Bool
    /// Finished layers, in model order.
    public var layers: [LayerSummary]
    /// Solver reports per layer (finished, failed or interrupted), for layers that reported any.
    public var sweeps: [String: [SolverProgress]]
    /// Other solves of a layer (other methods or settings), for layers that have any.
    public var comparisons: [String: [LayerSummary]]
    /// Layers that failed, with the failure.
    public var failed: [String: String]
    /// The state of every listed layer: pending, solving, done, cancelled after k of n, failed.
    public var states: [String: LayerPhase]
    public var warnings: [String]
    public var errors: [String]
    public var timings: RunTimings
    public var summary: RunSummary
    /// QDEC evaluation at the end of the run (recipes with a `qdec:` section).
    public var compensation: CompensationSweep? = nil
    /// Every fine-tuned block, in block order (runs with `finetune:`).
    public var tuning: [BlockTuningSummary]? = nil
    /// What the bit allocator measured and chose (runs with `allocate:`).
    public var allocation: AllocationPlan? = nil

    /// The report of a run state; throws `ReportError.runNotStarted` for a state that never saw `runStarted`.
    public init(state: RunState, recipe: String, recipeName: String?, toolVersion: String,
                environment: RunEnvironment, started: Date, finished: Date?, phaseSeconds: [String: Double] = [:],
                parts: [RunPart] = []) throws(ReportError) {
        guard let info = state.info else { throw .runNotStarted }
        schemaVersion = Self.currentSchemaVersion
        self.toolVersion = toolVersion
        self.recipe = recipe
        self.recipeName = recipeName
        self.environment = environment
        self.info = info
        status = RunReportStatus(state.status)
        incomplete = state.isIncomplete || state.status == nil
        layers = state.finished
        var sweeps: [String: [SolverProgress]] = [:]
        var comparisons: [String: [LayerSummary]] = [:]
        var failed: [String: String] = [:]
        var states: [String: LayerPhase] = [:]
        for row in state.layers {
            let name = row.info.name
            if !row.sweeps.isEmpty { sweeps[name] = row.sweeps }
            if !row.comparisons.isEmpty { comparisons[name] = row.comparisons }
            if case let .failed(reason) = row.phase { failed[name] = reason }
            states[name] = row.phase
        }
        self.states = states
        self.sweeps = sweeps
        self.comparisons = comparisons
        self.failed = failed
        warnings = state.warnings
        errors = state.errors
        timings = RunTimings(started: started, finished: finished, phaseSeconds: phaseSeconds,
                             solverSeconds: layers.reduce(0) { $0 + $1.seconds }, parts: parts)
        summary = RunSummary(state: state)
    }

    /// "incomplete: N of M layers" when the run is incomplete, else the status.
    public var statusLine: String {
        guard incomplete else { return status.rawValue }
        return "\(status.rawValue), incomplete: \(summary.finishedLayers) of \(info.layers.count) layers"
    }

    /// A layer's state: as the run left it, else done when it has a result, pending otherwise.
    public func state(of layer: String) -> LayerPhase {
        states[layer] ?? (layers.contains { $0.name == layer } ? .done : .pending)
    }

    /// Layer names in model order (the run's list, then any finished layer it did not list).
    var layerOrder: [String] {
        var names = info.layers.map(\.name)
        var seen = Set(names)
        for layer in layers where seen.insert(layer.name).inserted { names.append(layer.name) }
        return names
    }
}
