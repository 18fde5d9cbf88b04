import Foundation
import ModelKit
import QuantCore

/// Runs a recipe without the workbench: progress on stderr (a bar on a TTY, lines otherwise), the run
/// folder written as layers finish (locked while the run writes it), reports at the end. Ctrl-C stops
/// after the current sweep and keeps everything finished; a second Ctrl-C quits at once.
///
/// ```swift
/// let result = try await HeadlessRun.start(recipe, base: cwd, options: .init(), reporter: reporter)
/// if result.status != .completed { exit(1) }
/// ```
public struct HeadlessRun {
    /// How a headless run treats its folder and its model.
    public struct Options: Sendable {
        /// A checkpoint folder overriding the recipe's model.
        public var modelDirectory: URL?
        /// Clear a folder made by another (or an edited) recipe and start over, instead of refusing it.
        public var restart: Bool
        /// Keep the partial result of a layer whose solve was cancelled (marked cancelled) instead of solving it again on resume.
        public var keepPartial: Bool

        public init(modelDirectory: URL? = nil, restart: Bool = false, keepPartial: Bool = false) {
            self.modelDirectory = modelDirectory
            self.restart = restart
            self.keepPartial = keepPartial
        }
    }

    /// How a run ended and what it left.
    public struct Result {
        public var state: RunState
        /// The work; its model holds the quantized weights of the layers solved.
        public var work: ModelWork
        public var folder: RunFolder
        /// How the run ended (a run whose layers could not all be saved has failed).
        public var status: RunStatus { state.status ?? .failed }
    }

    let recipe: Recipe
    let folder: RunFolder
    let options: Options
    let reporter: any RunReporting
    private let progress = TerminalProgress()

    /// Runs `recipe` into its folder (its `output`, else a new `runs/<name>-<time>` under `base`). A folder
    /// the same recipe made is resumed; one made by another or an edited recipe is refused unless `options.restart`.
    public static func start(_ recipe: Recipe, base: URL, options: Options, reporter: any RunReporting) async throws -> Result {
        let url = RunFolder.location(for: recipe, base: base)
        let isNew = !FileManager.default.fileExists(atPath: url.path)
        let lock = try RunFolderLock(url)
        defer { lock.release() }
        let folder = try RunFolder.prepare(for: recipe, at: url, restart: options.restart)
        do {
            return try await HeadlessRun(recipe: recipe, folder: folder, options: options, reporter: reporter).run()
        } catch {
            // A run that failed before saving a layer (a bad model, text or selection) leaves no folder behind.
            if isNew, (try? folder.finishedLayers().isEmpty) ?? false { try? FileManager.default.removeItem(at: url) }
            throw error
        }
    }

    /// Continues the run in `url` with the recipe it was made by.
    public static func resume(_ url: URL, options: Options, reporter: any RunReporting) async throws -> Result {
        let lock = try RunFolderLock(url)
        defer { lock.release() }
        let existing = try RunFolder(existing: url)
        let recipe = options.restart ? try existing.recipe() : try existing.verifiedRecipe()
        let folder = try RunFolder.prepare(for: recipe, at: url, restart: options.restart)
        return try await HeadlessRun(recipe: recipe, folder: folder, options: options, reporter: reporter).run()
    }

    /// Runs to the end (or to Ctrl-C).
    private func run() async throws -> Result {
        progress.note("loading \(options.modelDirectory?.path ?? recipe.model ?? "the demo model") and calibration text…")
        let progress = self.progress
        let measured = try folder.allocation()
        if recipe.allocation != nil {
            progress.note(measured == nil ? "measuring every candidate on every layer, then each layer's sensitivity, for the bit budget…"
                          : "the bit allocation's measurements are the interrupted run's (allocation.json)")
        }
        let work = try ModelWork(recipe: recipe, modelDirectory: options.modelDirectory, measured: measured) { progress.loading($0) }
        if let plan = work.allocation, let given = plan.differingBudget(of: recipe) {
            progress.note("the run follows allocation.json's budget, \(plan.budget) bits/weight, not the recipe's \(given)")
        }
        try folder.record(checkpoint: work.model.checkpoint.directory)
        if let plan = work.allocation { try folder.saveAllocation(plan) }
        let finished = try folder.finishedLayers()
        let tuned = try folder.tunedBlocks()
        if !finished.isEmpty {
            let complete = tuned.values.filter(\.summary.completed).count
            progress.note("resuming: \(finished.count) layer(s) already done" + (complete == 0 ? "" : ", \(complete) block(s) fine-tuned"))
        }
        let recorder = LayerRecorder(folder: folder, keepPartial: options.keepPartial)
        let job = Job(work: work, finished: finished, tuned: tuned, onOutcome: recorder.record, onTuned: recorder.recordTuning)
        let interrupt = Interrupt { count in
            if count == 1 {
                progress.note("stopping after the current sweep; finished layers are kept (Ctrl-C again to quit now)")
                job.send(.cancel)
            } else {
                progress.finish()
                Interrupt.exitNow(130)
            }
        }
        defer { interrupt.cancel() }
        let started = Date()
        let earlier = try folder.runParts()
        /// Every part up to `now`, recorded in the folder.
        func parts(until now: Date) -> [RunPart] {
            let parts = earlier + [RunPart(started: started, ended: now)]
            try? folder.record(parts: parts)
            return parts
        }
        _ = parts(until: started)
        let status = job.start()
        var state = RunState()
        for await received in job.events {
            var event = received
            if case .runFinished = event, recorder.hasFailed { event = .runFinished(.failed) }
            show(event, in: &state)
            if case .runStarted = event {
                for name in finished.filter(\.value.partial).keys.sorted() { show(.warning("\(name): resumed with the partial result of a cancelled solve"), in: &state) }
            }
            if case .layerFinished = event {
                recorder.take().forEach { show($0, in: &state) }
                if recorder.hasFailed { job.send(.cancel) }
                do {
                    try reporter.write(RunRecord(state: state, recipe: recipe, started: started, finished: nil, parts: parts(until: Date())),
                                       to: folder.url, final: false)
                } catch {
                    show(.error(layer: nil, message: "could not write the run report: \(error)"), in: &state)
                    job.send(.cancel)
                }
            }
            if case .comparisonFinished = event { recorder.take().forEach { show($0, in: &state) } }
            if case .blockTuned = event {
                recorder.take().forEach { show($0, in: &state) }
                if recorder.hasFailed { job.send(.cancel) }
            }
        }
        _ = await status.value
        recorder.take().forEach { show($0, in: &state) }
        progress.finish()
        let compensation = try compensationSweep(state, work: work)
        let end = Date()
        try reporter.write(RunRecord(state: state, recipe: recipe, started: started, finished: end, compensation: compensation,
                                     parts: parts(until: end)), to: folder.url, final: true)
        return Result(state: state, work: work, folder: folder)
    }

    private func show(_ event: EngineEvent, in state: inout RunState) {
        state.apply(event)
        progress.show(event, state: state)
    }

    /// QDEC on the saved layers, when the recipe has a `qdec:` section and the run completed; the table
    /// goes to stdout.
    private func compensationSweep(_ state: RunState, work: ModelWork) throws -> CompensationSweep? {
        guard let settings = recipe.compensation, state.status == .completed else { return nil }
        progress.note("QDEC: thresholds from the FP model, then k_chunk \(settings.kChunks.map(String.init).joined(separator: ",")) "
                      + "with \(settings.selections.map(\.rawValue).joined(separator: ","))…")
        let layers = try folder.applyLayers(to: work.model)
        let progress = self.progress
        let sweep = try ModelEvaluation.compensationSweep(
            reference: try TransformerModel(checkpoint: work.model.checkpoint), quantized: work.model, layers: layers,
            calibrationWindows: work.windows, tokenizer: work.tokenizer, heldOut: work.text.evaluation, settings: settings,
            onProgress: { progress.note(CompensationTable.pointLine($0)) })
        print(CompensationTable.render(sweep), terminator: "")
        return sweep
    }
}
