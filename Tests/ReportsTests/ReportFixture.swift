import Foundation
import QuantCore
import Engine
@testable import Reports

/// A realistic cancelled run: three BERT-style blocks of four linears; block 0 finishes (one layer also
/// compared with GPTQ), block 1 has a failed layer and an RTN layer without sweeps, block 2 is cut short.
enum ReportFixture {
    static let kinds = [("attention.self.query", 384, 384), ("attention.self.key", 384, 384),
                        ("intermediate.dense", 1536, 384), ("output.dense", 384, 1536)]

    static let quantease = LayerMethod.outlierQuantEase(try! OutlierQuantEaseOptions(grid: try! GridOptions(bits: 3), fraction: 0.01))
    static let gptq = LayerMethod.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))
    static let rtn = LayerMethod.rtn(try! GridOptions(bits: 3))

    static func info(model: String = "all-MiniLM-L6-v2", names: [String: String] = [:]) -> RunInfo {
        let layers = (0..<3).flatMap { b in
            kinds.map { k in LayerInfo(name: names["\(b).\(k.0)"] ?? "\(b).\(k.0)", block: b, rows: k.1, cols: k.2) }
        }
        return RunInfo(model: model, architecture: "bert", blocks: 3, layers: layers, method: quantease,
                       pipeline: "block-sequential", calibration: "pydoc topics, 128 windows of 256 tokens")
    }

    static func sweeps(_ count: Int, start: Double, relaxedAt: Int? = nil, outliers: Int = 0) -> [SolverProgress] {
        (1...count).map { i in
            let relaxed = i == relaxedAt
            return SolverProgress(step: i, totalSteps: count, relativeError: start * pow(0.7, Double(i - 1)),
                                  codesChanged: relaxed ? nil : 1000 / i, outliers: outliers, onGrid: !relaxed,
                                  elapsed: 0.125 * Double(i))
        }
    }

    static func summary(_ layer: LayerInfo, method: LayerMethod = quantease, bits: Int = 3, relErr: Double,
                        outliers: Int = 0, seconds: Double = 0.5) -> LayerSummary {
        LayerSummary(name: layer.name, block: layer.block, rows: layer.rows, cols: layer.cols, method: method, bits: bits,
                     relErr: relErr, bitsPerWeight: 3 + Double(outliers) * 48 / Double(layer.rows * layer.cols),
                     outliers: outliers, seconds: seconds, calibrationTokens: 32768, notes: [])
    }

    /// The event sequence of the run, for a run whose layers carry the given names.
    static func events(_ info: RunInfo) -> [EngineEvent] {
        let l = info.layers
        var events: [EngineEvent] = [.runStarted(info), .calibrating(CalibrationProgress(block: 0, done: 128, total: 128))]
        func solve(_ i: Int, sweepCount: Int, start: Double, relaxedAt: Int? = nil, outliers: Int = 0) {
            events.append(.layerStarted(layer: l[i].name, method: quantease))
            let s = sweeps(sweepCount, start: start, relaxedAt: relaxedAt, outliers: outliers)
            events += s.map { .sweepFinished(layer: l[i].name, progress: $0) }
            events.append(.layerFinished(summary(l[i], relErr: s.last!.relativeError, outliers: outliers)))
        }
        solve(0, sweepCount: 6, start: 0.08, relaxedAt: 2, outliers: 590)
        events.append(.comparisonFinished(summary(l[0], method: gptq, relErr: 0.031, seconds: 0.2)))
        solve(1, sweepCount: 5, start: 0.07, outliers: 590)
        solve(2, sweepCount: 4, start: 0.05)
        solve(3, sweepCount: 4, start: 0.12, outliers: 2359)
        events.append(.warning("damping raised to 0.1 for \(l[5].name)"))
        events.append(.calibrating(CalibrationProgress(block: 1, done: 128, total: 128)))
        solve(4, sweepCount: 3, start: 0.09)
        events.append(.layerStarted(layer: l[5].name, method: quantease))
        events += sweeps(2, start: 0.2).map { .sweepFinished(layer: l[5].name, progress: $0) }
        events.append(.error(layer: l[5].name, message: "Σ is not positive-definite after damping 0.1"))
        events.append(.layerStarted(layer: l[6].name, method: rtn))
        events.append(.layerFinished(summary(l[6], method: rtn, relErr: 0.21, seconds: 0.01)))
        solve(7, sweepCount: 4, start: 0.15, outliers: 2359)
        events.append(.calibrating(CalibrationProgress(block: 2, done: 128, total: 128)))
        solve(8, sweepCount: 5, start: 0.1)
        events.append(.layerStarted(layer: l[9].name, method: quantease))
        events.append(.sweepFinished(layer: l[9].name, progress: sweeps(6, start: 0.1)[0]))
        events.append(.solveCancelled(CancelledSolve(layer: l[9].name, method: quantease, step: 1, totalSteps: 6, replacesMain: true)))
        events.append(.runFinished(.cancelled))
        return events
    }

    static func state(_ info: RunInfo = info()) -> RunState {
        var state = RunState()
        for e in events(info) { state.apply(e) }
        return state
    }

    static let recipe = """
    name: minilm-quantease-3bit
    model: all-MiniLM-L6-v2
    method: { kind: quantease, bits: 3, outliers: 0.01, sweeps: 6 }
    """

    static let environment = RunEnvironment(cpuModel: "Test CPU @ 2.0GHz", cores: 2, blas: "OpenBLAS Haswell kernels",
                                            os: "Linux", swift: "Swift 6.3 or newer")

    static func report(_ state: RunState = state(), recipe: String = recipe) -> RunReport {
        let start = Date(timeIntervalSince1970: 1_760_000_000)
        return try! RunReport(state: state, recipe: recipe, recipeName: "minilm-quantease-3bit", toolVersion: "0.1.0",
                         environment: environment, started: start, finished: start.addingTimeInterval(83.5),
                         phaseSeconds: ["calibration": 12.25, "solve": 70.5])
    }

    /// A fresh empty folder, removed by `body`'s end.
    static func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Finished layers that reported sweeps, in model order.
    static let chartedLayers = ["0.attention.self.query", "0.attention.self.key", "0.intermediate.dense", "0.output.dense",
                                "1.attention.self.query", "1.output.dense", "2.attention.self.query"]
}
