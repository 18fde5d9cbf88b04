import Engine
import Foundation

/// `e` in the workbench: everything the run holds, into a run folder made (and locked) on the first
/// export — the layer file of every layer's current result (re-solves included), the recipe, the method
/// of each layer (`layer-methods.json`, from which the run can be rebuilt), the bit allocation as last chosen, the checkpoint's fingerprint,
/// and the reports in every format. The folder then works like a headless run's (`quantbench eval --quantized`).
public final class RunExporter: @unchecked Sendable {
    private let recipe: Recipe
    private let work: TrackedWork
    private let checkpoint: URL?
    private let base: URL
    private let reporter: RunFolderReporter
    private let started: Date
    private var folder: (RunFolder, RunFolderLock)?

    /// What it writes, in a line (the workbench's export picker shows it).
    public static var summary: String {
        "a run folder: layer files, recipe, reports (\(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))); eval --quantized reads it"
    }

    /// Exports the results `work` keeps of a run of `recipe` on `checkpoint`, into the recipe's `output` or `base/runs/…`.
    public init(recipe: Recipe, work: TrackedWork, checkpoint: URL?, base: URL, toolVersion: String, started: Date = Date()) {
        self.recipe = recipe
        self.work = work
        self.checkpoint = checkpoint
        self.base = base
        reporter = RunFolderReporter(formats: ReportFormat.allCases, toolVersion: toolVersion)
        self.started = started
    }

    /// Writes the run as `state` shows it; returns what to tell the user.
    public func export(_ state: RunState) throws -> String {
        let folder = try open()
        let current = work.current
        for result in current { try folder.save(result.layer, method: result.method) }
        for block in work.tunedBlocks.values { try folder.saveTuning(block, layers: [:]) }
        if let plan = state.allocation { try folder.saveAllocation(plan) }
        let files = try reporter.write(RunRecord(state: state, recipe: recipe, started: started, finished: state.status == nil ? nil : Date()),
                                       to: folder.url, final: true)
        return "exported \(current.count) layers and \(files.count) reports to \(folder.url.path)"
    }

    private func open() throws -> RunFolder {
        if let (folder, _) = folder { return folder }
        let url = RunFolder.location(for: recipe, base: base)
        let lock = try RunFolderLock(url)
        let folder = try RunFolder.prepare(for: recipe, at: url, restart: false)
        if let checkpoint { try folder.record(checkpoint: checkpoint) }
        self.folder = (folder, lock)
        return folder
    }
}
