import Engine
import Foundation
@testable import ModelKit
import QuantCore
import Synchronization
import Testing
@testable import Workbench
import TUIKit

/// Three seeded synthetic layers: a `QuantizationWork` the workbench can drive without a model. It counts as
/// a causal LM whose "continuation" lists the layers in the model with their bits.
final class SyntheticWork: QuantizationWork {
    let problems = (0..<3).map { SyntheticProblem(rows: 16, cols: 32, tokens: 128, seed: UInt64($0)).make(name: "\($0).mlp") }
    let layers = (0..<3).map { LinearLayer(name: "\($0).mlp", tensorName: "b.\($0).w", biasName: nil, block: $0, outFeatures: 16, inFeatures: 32, storedTransposed: false) }
    let method = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 4))

    var info: RunInfo {
        RunInfo(model: "synthetic", architecture: "none", blocks: 3, layers: layers.map { LayerInfo(name: $0.name, block: $0.block, rows: 16, cols: 32) },
                method: method, pipeline: "synthetic", calibration: "seeded", causalLM: true)
    }

    private var next = 0
    private var inModel: [String: Int] = [:]

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws { next = 0 }

    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        guard next < layers.count, !isCancelled() else { return false }
        let layer = layers[next]
        next += 1
        onEvent(.layerStarted(layer: layer, method: method, index: next - 1, total: layers.count))
        let o = try solve(layer: layer.name, method: method, control: SolverControl(isCancelled: isCancelled))
        o.result.history.forEach { onEvent(.solverProgress(layer: layer, progress: $0)) }
        if !o.result.cancelled { inModel[layer.name] = o.result.layer.bits }
        onEvent(o.result.cancelled ? .layerCancelled(o) : .layerFinished(o))
        return next < layers.count && !o.result.cancelled
    }

    func adopt(_ outcome: LayerOutcome) throws { inModel[outcome.layer.name] = outcome.result.layer.bits }

    func sample(_ request: SampleRequest, isCancelled: () -> Bool) throws -> GreedySample {
        let held = layers.compactMap { l in inModel[l.name].map { "\(l.name)@\($0)" } }
        return GreedySample(prompt: request.prompt, referenceLabel: "FP32", reference: "reference text", quantized: held.joined(separator: " "))
    }

    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        let i = layers.firstIndex { $0.name == layer } ?? 0
        let r = try method.solve(problems[i], control: control)
        let deq = r.layer.dequantized()
        return LayerOutcome(layer: layers[i], method: method, result: r,
                            relativeError: Objective.relativeError(weights: problems[i].weights, quantized: deq, hessian: problems[i].hessian),
                            tokens: 128, dequantized: deq)
    }
}

/// Runs the blocking UI loop on a thread of its own, as the command does: on a cooperative-pool thread
/// it would starve the tasks that deliver the engine's events.
func onOwnThread<T>(_ body: @escaping () -> T) async -> T {
    let box = UncheckedResult(body)
    return await withCheckedContinuation { (done: CheckedContinuation<UncheckedResult<T>, Never>) in
        Thread { box.run(); done.resume(returning: box) }.start()
    }.value!
}

final class UncheckedResult<T>: @unchecked Sendable {
    let body: () -> T
    var value: T?
    init(_ body: @escaping () -> T) { self.body = body }
    func run() { value = body() }
}

@Suite("TUI workbench loop") struct TUIWorkbenchTests {
    @Test func drivesARealJobAndSendsKeysAsCommands() async throws {
        let job = Job(work: SyntheticWork(), keepAlive: true)
        let status = job.start()
        let size = Size(width: 150, height: 30)
        let exported = Mutex(0)
        let terminal = TestTerminal(size: size, script: [
            ({ $0.lines[1].contains("completed") }, .key(.char("k"))),
            ({ _ in true }, .key(.char("+"))),
            ({ _ in true }, .key(.enter)),
            // The re-solve is done when the chart legend (not the status message) names it and the run is idle again.
            ({ $0.lines.dropLast().contains { $0.contains("QuantEase 4-bit") } && $0.lines[1].contains("completed") }, .key(.char("e"))),
            ({ $0.text.contains("Export · the run") }, .key(.enter)),
            ({ $0.text.contains("report written") }, .resize(Size(width: 90, height: 26))),
            ({ $0.size.width == 90 }, .key(.escape)),
            ({ !$0.text.contains("Export · the run") }, .key(.char("q"))),
        ])
        let exports = Exports(targets: [ExportChoice("run", "the run folder")]) { request, state, _ in
            exported.withLock { $0 += 1 }
            return "report written: \(request.target), \(state.finished.count) layers"
        }
        let bench = WorkbenchLoop(job: job, state: AppState(size: size), frameMilliseconds: 5, exports: exports)
        let final = await onOwnThread { bench.run(on: terminal) }
        #expect(await status.value == .completed)
        #expect(!terminal.terminationRequested, "the script stalled on:\n\(terminal.screen.text)")
        #expect(final.layers[1].summary?.bits == 4)
        #expect(final.layers[1].comparisons.map(\.bits) == [3])
        #expect(exported.withLock { $0 } == 1)
        #expect(terminal.screen.size == Size(width: 90, height: 26))
        // The incrementally drawn screen equals a full render of the final state.
        #expect(terminal.frames > 3)
    }

    /// The export is written on a thread of its own: the screen draws its progress meanwhile, the picker can
    /// close, and quitting waits for it to end.
    @Test func anExportIsWrittenInTheBackgroundAndQuittingWaitsForIt() async throws {
        let job = Job(work: SyntheticWork(), keepAlive: true)
        let status = job.start()
        let release = Mutex(false), ended = Mutex(false), quitPressed = Mutex<Date?>(nil)
        let terminal = TestTerminal(size: Size(width: 120, height: 40), script: [
            ({ $0.lines[1].contains("completed") }, .key(.char("e"))),
            ({ _ in true }, .key(.down)),
            ({ _ in true }, .key(.enter)),
            ({ $0.text.contains("writing gptq") }, .key(.escape)),
            ({ screen in
                guard screen.lines.last?.contains("exporting gptq 50%") == true else { return false }
                quitPressed.withLock { $0 = Date() }
                return true
            }, .key(.char("q"))),
        ])
        let exports = Exports(targets: [ExportChoice("run", "the run folder"), ExportChoice("gptq", "GPTQ")],
                              outlierHandling: [ExportChoice("refuse", "say why")]) { request, _, progress in
            progress(0.5)
            while !release.withLock({ $0 }) { usleep(1000) }
            ended.withLock { $0 = true }
            return "exported \(request.target) (outliers: \(request.outliers ?? "-"))\nto exports/x-gptq"
        }
        let bench = WorkbenchLoop(job: job, state: AppState(size: terminal.size), frameMilliseconds: 5, exports: exports)
        // The export ends a while after q.
        Thread {
            while quitPressed.withLock({ $0.map { Date().timeIntervalSince($0) < 0.3 } ?? true }) { usleep(2000) }
            release.withLock { $0 = true }
        }.start()
        _ = await onOwnThread { bench.run(on: terminal) }
        #expect(await status.value == .completed)
        #expect(ended.withLock { $0 }, "the loop returned before the export ended")
        #expect(terminal.screen.lines.last?.contains("finishing the gptq export") == true, "\(terminal.screen.text)")
    }

    @Test func theSamplePanelShowsTheJobsSampleOfTheModelAsItStands() async throws {
        let job = Job(work: SyntheticWork(), keepAlive: true)
        let status = job.start()
        let size = Size(width: 120, height: 40)
        let terminal = TestTerminal(size: size, script: [
            ({ $0.lines[1].contains("completed") }, .key(.char("d"))),
            ({ $0.text.contains("0.mlp@3 1.mlp@3 2.mlp@3") && $0.text.contains("after 3/3 layers quantized") }, .key(.escape)),
            // Back on the main screen: one more bit for the selected layer, solved, then the panel again.
            ({ !$0.text.contains("Sample · greedy") }, .key(.char("+"))),
            ({ _ in true }, .key(.enter)),
            ({ $0.lines.dropLast().contains { $0.contains("QuantEase 4-bit") } && $0.lines[1].contains("completed") }, .key(.char("d"))),
            ({ $0.text.contains("0.mlp@3 1.mlp@3 2.mlp@4") }, .key(.ctrl("c"))),
            ({ $0.text.contains("q again to quit") }, .key(.ctrl("c"))),
        ])
        let final = await onOwnThread { WorkbenchLoop(job: job, state: AppState(size: size), frameMilliseconds: 5).run(on: terminal) }
        #expect(await status.value == .completed)
        #expect(!terminal.terminationRequested, "the script stalled on:\n\(terminal.screen.text)")
        #expect(final.layers[2].summary?.bits == 4)
    }

    @Test func aTerminationSignalEndsTheLoopAndCancelsTheJob() async {
        let job = Job(work: SyntheticWork(), keepAlive: true)
        let status = job.start()
        let terminal = TestTerminal(size: Size(width: 80, height: 24), script: [({ $0.lines[1].contains("completed") }, .resize(Size(width: 80, height: 24)))])
        let bench = WorkbenchLoop(job: job, state: AppState(size: terminal.size), frameMilliseconds: 5)
        _ = await onOwnThread { bench.run(on: terminal) }
        let ended = await status.value
        #expect(ended == .completed, "\(ended)")
    }

    @Test func aLoadingFrameBeforeTheJob() {
        let terminal = TestTerminal(size: Size(width: 80, height: 24), script: [])
        WorkbenchLoop.showLoading(AppState(size: Size(width: 1, height: 1)), progress: LoadingProgress(done: 2, total: 4, step: "loading the calibration text"),
                              on: terminal)
        #expect(terminal.screen.lines[0].hasPrefix(" quantbench · starting"))
        // Half of the gauge is full: two of four steps are done.
        #expect(terminal.screen.lines[1].contains(" ████████░░░░░░░░ starting · loading 3/4: loading the calibration text…"), "a 16-cell bar at 80 columns")
        #expect(terminal.screen.lines[23].contains("loading 3/4: loading the calibration text"))
    }
}
