import Dispatch
import Engine
import Foundation
import ModelKit
import QuantCore
import Reports

/// Runs a recipe without the workbench: progress on stderr (a bar on a TTY, one line per layer
/// otherwise), the run folder written as layers finish, reports at the end. Ctrl-C stops after the current
/// sweep and keeps everything finished; a second Ctrl-C quits at once.
struct HeadlessRun {
    static let toolVersion = QuantBench.configuration.version

    let recipe: Recipe
    let folder: RunFolder
    let modelDirectory: URL?
    let formats: [ReportFormat]

    /// Runs to the end (or to Ctrl-C); returns the final state and the work (its model now holds the
    /// quantized weights).
    func run() async throws -> (RunState, ModelWork) {
        let progress = ProgressPrinter()
        progress.note("loading \(modelDirectory?.path ?? recipe.model ?? "the demo model") and calibration text…")
        let work = try ModelWork(recipe: recipe, modelDirectory: modelDirectory)
        let finished = try folder.finishedLayers()
        if !finished.isEmpty { progress.note("resuming: \(finished.count) layer(s) already done") }
        let saveFolder = folder
        let saveFailures = SaveFailures()
        let job = Job(work: work, finished: finished, compare: recipe.compare) { outcome, replaces in
            guard replaces else { return }
            do { try saveFolder.save(outcome) } catch { saveFailures.record("\(outcome.layer.name): \(error)") }
        }
        let interrupt = Interrupt { count in
            if count == 1 {
                progress.note("stopping after the current sweep; finished layers are kept (Ctrl-C again to quit now)")
                job.send(.cancel)
            } else {
                progress.finish()
                exit(130)
            }
        }
        defer { interrupt.cancel() }
        let started = Date()
        let status = job.start()
        var state = RunState()
        for await event in job.events {
            state.apply(event)
            progress.show(event, state: state)
            if case .layerFinished = event { try writeReports(state, started: started, finished: nil, formats: [.json]) }
        }
        _ = await status.value
        progress.finish()
        for failure in saveFailures.all { state.apply(.warning("could not save \(failure)")) }
        let compensation = try compensationSweep(state, work: work, progress: progress)
        try writeReports(state, started: started, finished: Date(), formats: formats, compensation: compensation)
        return (state, work)
    }

    /// QDEC on the saved layers, when the recipe has a `qdec:` section and the run completed; the table
    /// goes to stdout.
    private func compensationSweep(_ state: RunState, work: ModelWork, progress: ProgressPrinter) throws -> CompensationSweep? {
        guard let settings = recipe.compensation, state.status == .completed else { return nil }
        progress.note("QDEC: thresholds from the FP model, then k_chunk \(settings.kChunks.map(String.init).joined(separator: ",")) "
                      + "with \(settings.selections.map(\.rawValue).joined(separator: ","))…")
        let layers = try folder.finishedLayers().mapValues(\.layer)
        for (name, layer) in layers { try work.model.replaceWeight(name, with: layer.dequantized()) }
        let sweep = try ModelEvaluation.compensationSweep(
            reference: try TransformerModel(checkpoint: work.model.checkpoint), quantized: work.model, layers: layers,
            calibrationWindows: work.windows, tokenizer: work.tokenizer, heldOut: work.text.evaluation, settings: settings) { point in
                progress.note("QDEC \(point.selection.rawValue) k_chunk \(point.kChunk): \(point.meanCosine != nil ? "cosine" : "perplexity") "
                              + String(format: "%.5f", point.metric))
            }
        print(CompensationTable.render(sweep), terminator: "")
        return sweep
    }

    private func writeReports(_ state: RunState, started: Date, finished: Date?, formats: [ReportFormat],
                              compensation: CompensationSweep? = nil) throws {
        var report = try RunReport(state: state, recipe: recipe.text, recipeName: recipe.name, toolVersion: Self.toolVersion,
                               environment: .current(), started: started, finished: finished)
        report.compensation = compensation
        _ = try ReportWriter.write(report, formats: formats, to: folder.url)
    }
}

/// Save errors seen on the worker thread, reported at the end.
final class SaveFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func record(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

/// SIGINT/SIGTERM as a count of presses, delivered on a dispatch queue (never inside the signal handler).
final class Interrupt: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0

    init(_ handler: @escaping @Sendable (Int) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in
                count += sig == SIGTERM ? 2 : 1
                handler(count)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
