import Foundation
import Engine
import QuantCore
@testable import Workbench
import TUIKit

/// A deterministic run the screens are tested on: a MiniLM-shaped model (6 blocks × 6 linears), the
/// first `done` layers finished, the next one mid-solve, comparisons on layer 0.
enum Fixtures {
    static let kinds: [(String, Int, Int)] = [
        ("attention.self.query", 384, 384), ("attention.self.key", 384, 384), ("attention.self.value", 384, 384),
        ("attention.output.dense", 384, 384), ("intermediate.dense", 1536, 384), ("output.dense", 384, 1536),
    ]

    static let method = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 30,
                                                                   initialization: .gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))))
    static let gptq = LayerMethod.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))
    static let rtn = LayerMethod.rtn(try! GridOptions(bits: 3))

    static var info: RunInfo {
        let layers = (0..<6).flatMap { b in kinds.map { LayerInfo(name: "\(b).\($0.0)", block: b, rows: $0.1, cols: $0.2) } }
        return RunInfo(model: "all-MiniLM-L6-v2", architecture: "bert", blocks: 6, layers: layers,
                       method: method, pipeline: "block-sequential", calibration: "fixture")
    }

    /// rel_err of layer `i`, spread over two decades so the heatmap uses every shade.
    static func relErr(_ i: Int) -> Double { 0.002 * pow(1.35, Double((i * 7) % 17)) }

    static func sweeps(_ count: Int, total: Int, final: Double) -> [SolverProgress] {
        (1...max(1, count)).map { s in
            SolverProgress(step: s, totalSteps: total, relativeError: final * (1 + 4 / Double(s * s)), codesChanged: 4000 / s,
                           outliers: 0, onGrid: true, elapsed: Double(s) * 0.05)
        }
    }

    static func summary(_ l: LayerInfo, _ i: Int, method: LayerMethod = method, bits: Int = 3, outliers: Int = 0) -> LayerSummary {
        LayerSummary(name: l.name, block: l.block, rows: l.rows, cols: l.cols, method: method, bits: bits, relErr: relErr(i),
                     bitsPerWeight: 3.05 + Double(outliers) * 32 / Double(l.rows * l.cols), outliers: outliers,
                     seconds: 0.4 + Double(i % 5) * 0.3, calibrationTokens: 8192, notes: [], errorMap: errorMap(l, relErr: relErr(i)))
    }

    /// A 48 × 64 map (fewer bins on smaller layers) with a band of rows and two input-channel groups that
    /// hold most of the error, scaled to sum to `relErr`.
    static func errorMap(_ l: LayerInfo, relErr: Double) -> ErrorMap {
        let rows = min(48, l.rows), cols = min(64, l.cols)
        var cells: [Double] = []
        for r in 0..<rows {
            for c in 0..<cols {
                let band = exp(-Double((r - rows / 3) * (r - rows / 3)) / 18)
                cells.append((1 + 20 * band) * (c == 9 || c == 41 ? 30 : 1) * (1 + Double((r * 7 + c * 3) % 5)))
            }
        }
        let scale = relErr / cells.reduce(0, +)
        return ErrorMap(rowStarts: (0..<rows).map { ($0 * l.rows + rows - 1) / rows }, columnStarts: (0..<cols).map { ($0 * l.cols + cols - 1) / cols },
                        values: cells.map { $0 * scale }, relativeError: relErr)
    }

    /// Two 8-bit codebooks as an AQLM epoch reports them: one with dead codes and a skewed head, one
    /// used evenly.
    static var codebookProgress: SolverProgress {
        let skewed = (0..<256).map { k in k % 37 == 5 ? 0 : 2000 / (1 + k / 4) }
        let even = (0..<256).map { 90 + ($0 * 13) % 21 }
        return SolverProgress(step: 3, totalSteps: 10, relativeError: 0.004, codesChanged: 1200, outliers: 0, onGrid: true, elapsed: 2.5,
                              codebooks: [CodebookUsage(counts: skewed, bits: 8), CodebookUsage(counts: even, bits: 8)])
    }

    /// The events of a run with `done` finished layers and layer `done` at sweep `sweep` of 30.
    static func events(done: Int, sweep: Int = 17) -> [EngineEvent] {
        let info = info
        var events: [EngineEvent] = [.runStarted(info), .calibrating(CalibrationProgress(block: 0, done: 64, total: 64))]
        for (i, l) in info.layers.enumerated().prefix(done + 1) {
            events.append(.layerStarted(layer: l.name, method: info.method))
            let n = i < done ? 30 : sweep
            for p in sweeps(n, total: 30, final: relErr(i)) { events.append(.sweepFinished(layer: l.name, progress: p)) }
            if i < done { events.append(.layerFinished(summary(l, i, outliers: (i * 131) % 600))) }
            if i == 0 {
                events.append(.comparisonFinished(summary(l, 0, method: gptq, bits: 3)))
                var rtnResult = summary(l, 0, method: rtn, bits: 3)
                rtnResult.relErr *= 6
                events.append(.comparisonFinished(rtnResult))
            }
        }
        events.append(.warning("0.attention.self.query: Σ was not positive-definite with damping 0.01; used 0.1"))
        return events
    }

    static func run(done: Int = 8, sweep: Int = 17) -> RunState {
        var state = RunState()
        events(done: done, sweep: sweep).forEach { state.apply($0) }
        return state
    }

    static let recipes = [
        RecipeEntry(name: "minilm-quantease-3bit", description: "3-bit QuantEase from GPTQ, compared with GPTQ and RTN.",
                    method: .quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 30, schedule: .alwaysRound,
                                                             initialization: .gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3))))),
                    compare: [.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3))), .rtn(try! GridOptions(bits: 3))]),
        RecipeEntry(name: "minilm-quantease-3bit-outliers", description: "Outlier-aware QuantEase with a 1% budget.",
                    method: .outlierQuantEase(try! OutlierQuantEaseOptions(grid: try! GridOptions(bits: 3), fraction: 0.01)),
                    compare: [.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))]),
    ]

    /// The export picker's targets as the executable offers them (the run folder, two checkpoint formats).
    static let exports = ExportView(
        targets: [ExportChoice("run", "a run folder: layer files, recipe, reports"), ExportChoice("gptq", "GPTQModel, transformers with optimum"),
                  ExportChoice("dense", "any safetensors loader")],
        outlierHandling: [ExportChoice("refuse", "say why and write nothing"), ExportChoice("dense-layers", "layers with outliers stay dense"),
                          ExportChoice("drop", "outliers left out")],
        keepsOutliers: ["run", "dense"])

    static func app(_ size: Size = Size(width: 120, height: 40), depth: ColorDepth = .palette256, glyphs: GlyphSet = .unicode) -> AppState {
        var s = AppState(size: size, recipes: recipes, depth: depth, glyphs: glyphs)
        s.export = exports
        s.selected = 8
        return s
    }
}

/// Presses `keys` in turn through the reducer, from `state` (the fixture app by default) on `run` (the
/// fixture run by default); the last state and every effect asked for.
func press(_ keys: [Key], _ state: AppState? = nil, run: RunState = Fixtures.run()) -> (AppState, [AppEffect]) {
    var s = state ?? Fixtures.app()
    var all: [AppEffect] = []
    for k in keys {
        let (next, effects) = App.reduce(s, .key(k), run: run)
        s = next
        all += effects
    }
    return (s, all)
}
