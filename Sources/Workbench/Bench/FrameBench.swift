import Dispatch
import Engine
import Foundation
import QuantCore
import TUIKit

/// The frame benchmark behind `quantbench bench frame`: a full main screen of a MiniLM-shaped run,
/// changed every frame (a sweep on the running layer, the selection, the heatmap view), with render
/// and diff timed on the wall clock and on the thread's CPU clock.
public enum FrameBench {
    /// Times `frames` frames (after 20 warm-up frames) at `width` × `height`.
    public static func run(width: Int, height: Int, frames: Int) throws -> FrameBenchReport {
        var run = try FrameBenchRun.state()
        var app = AppState(size: Size(width: width, height: height))
        let running = run.layers[FrameBenchRun.done].info.name
        var previous = App.render(app, run: run, size: app.size)
        var render: [Double] = [], diff: [Double] = [], renderCPU: [Double] = [], diffCPU: [Double] = []
        var runs = 0
        for i in 0..<(frames + 20) {
            run.apply(.sweepFinished(layer: running, progress: FrameBenchRun.sweep(i % 30 + 1, final: 0.01)))
            app.selected = i % run.layers.count
            app.heatmapView = i % 2 == 0 ? .blocks : .layer
            let (t0, c0) = (DispatchTime.now().uptimeNanoseconds, threadCPUNanoseconds())
            let frame = App.render(app, run: run, size: app.size)
            let (t1, c1) = (DispatchTime.now().uptimeNanoseconds, threadCPUNanoseconds())
            let changed = frame.diff(from: previous)
            let (t2, c2) = (DispatchTime.now().uptimeNanoseconds, threadCPUNanoseconds())
            previous = frame
            guard i >= 20 else { continue }
            render.append(Double(t1 - t0) / 1e6)
            diff.append(Double(t2 - t1) / 1e6)
            renderCPU.append(Double(c1 - c0) / 1e6)
            diffCPU.append(Double(c2 - c1) / 1e6)
            runs += changed.count
        }
        return FrameBenchReport(machine: MachineInfo.current, size: [width, height], frames: frames, render_ms: Timing(render),
                                diff_ms: Timing(diff), frame_ms: Timing(zip(render, diff).map(+)), render_cpu_ms: Timing(renderCPU),
                                diff_cpu_ms: Timing(diffCPU), frame_cpu_ms: Timing(zip(renderCPU, diffCPU).map(+)), runs_per_frame: runs / frames)
    }


    /// CPU time of the calling thread.
    private static func threadCPUNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

/// The run a timed frame shows: a MiniLM-shaped model, `done` layers finished with error maps, the next
/// one mid-solve.
enum FrameBenchRun {
    static let done = 20

    static func sweep(_ step: Int, final: Double) -> SolverProgress {
        SolverProgress(step: step, totalSteps: 30, relativeError: final * (1 + 4 / Double(step * step)), codesChanged: 4000 / step,
                       outliers: 0, onGrid: true, elapsed: Double(step) * 0.05)
    }

    static func state() throws -> RunState {
        let method = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 3), sweeps: 30))
        let kinds = [("attention.self.query", 384, 384), ("attention.self.key", 384, 384), ("attention.self.value", 384, 384),
                     ("attention.output.dense", 384, 384), ("intermediate.dense", 1536, 384), ("output.dense", 384, 1536)]
        let layers = (0..<6).flatMap { b in kinds.map { LayerInfo(name: "\(b).\($0.0)", block: b, rows: $0.1, cols: $0.2) } }
        var run = RunState()
        run.apply(.runStarted(RunInfo(model: "all-MiniLM-L6-v2", architecture: "bert", blocks: 6, layers: layers,
                                      method: method, pipeline: "block-sequential", calibration: "synthetic")))
        var generator = SeededGenerator(seed: 1)
        for (i, l) in layers.enumerated().prefix(done + 1) {
            let relErr = 0.002 * pow(1.35, Double((i * 7) % 17))
            run.apply(.layerStarted(layer: l.name, method: method))
            for s in 1...(i < done ? 30 : 1) { run.apply(.sweepFinished(layer: l.name, progress: sweep(s, final: relErr))) }
            guard i < done else { continue }
            let rows = min(48, l.rows), cols = min(64, l.cols)
            let cells = (0..<(rows * cols)).map { _ in Double.random(in: 0.0...1.0, using: &generator) }
            let scale = relErr / cells.reduce(0, +)
            let map = ErrorMap(rowStarts: (0..<rows).map { $0 * l.rows / rows }, columnStarts: (0..<cols).map { $0 * l.cols / cols },
                               values: cells.map { $0 * scale }, relativeError: relErr)
            run.apply(.layerFinished(LayerSummary(name: l.name, block: l.block, rows: l.rows, cols: l.cols, method: method, bits: 3,
                                                  relErr: relErr, bitsPerWeight: 3.05, outliers: (i * 131) % 600, seconds: 0.4,
                                                  calibrationTokens: 8192, notes: [], errorMap: map)))
        }
        return run
    }
}

/// Mean, median, 99th percentile and worst of a series of milliseconds.
public struct Timing: Codable, Sendable {
    var mean: Double
    var p50: Double
    var p99: Double
    var max: Double

    init(_ ms: [Double]) {
        let s = ms.sorted()
        mean = s.reduce(0, +) / Double(Swift.max(1, s.count))
        p50 = s.isEmpty ? 0 : s[s.count / 2]
        p99 = s.isEmpty ? 0 : s[Swift.min(s.count - 1, Int((Double(s.count) * 0.99).rounded(.up)) - 1)]
        max = s.last ?? 0
    }
}

/// The frame benchmark's output.
public struct FrameBenchReport: Codable, Sendable {
    var machine: MachineInfo
    var size: [Int]
    var frames: Int
    var render_ms: Timing
    var diff_ms: Timing
    /// Render plus diff, frame by frame.
    var frame_ms: Timing
    /// The same on the thread's CPU clock.
    var render_cpu_ms: Timing
    var diff_cpu_ms: Timing
    var frame_cpu_ms: Timing
    var runs_per_frame: Int
}
