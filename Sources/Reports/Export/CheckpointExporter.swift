import Engine
import Foundation
import ModelKit

/// The workbench's checkpoint exports: the layers a run holds now (re-solves included), applied to its
/// checkpoint, in a format other tools load. Each format goes to `exports/<recipe>-<format>` (`.gguf`: one
/// file): the first export of a format takes a name no file has yet (`-2`, `-3`, … after it), and later
/// exports of it in the same session replace what that one wrote.
public final class CheckpointExporter: @unchecked Sendable {
    private let recipe: Recipe
    private let work: TrackedWork
    private let checkpointURL: URL
    private let base: URL
    private var checkpoint: Checkpoint?
    private var written: [CheckpointFormat: URL] = [:]

    /// Exports what `work` keeps of a run of `recipe` on the checkpoint at `checkpoint`, under `base/exports`.
    public init(recipe: Recipe, work: TrackedWork, checkpoint: URL, base: URL) {
        self.recipe = recipe
        self.work = work
        checkpointURL = checkpoint
        self.base = base
    }

    /// Writes the layers solved so far as `format`; `progress` gets the share written. Returns the summary, the
    /// folder or file, and the export's notes, a line each.
    public func export(format: CheckpointFormat, outliers: OutlierHandling, progress: (Double) -> Void) throws -> String {
        let layers = Dictionary(work.current.map { ($0.layer.summary.name, $0.layer.layer) }, uniquingKeysWith: { _, last in last })
        guard !layers.isEmpty else { throw ExportFailure.mismatch("no layer is quantized yet: there is nothing to export") }
        if checkpoint == nil { checkpoint = try Checkpoint(directory: checkpointURL) }
        let out = written[format] ?? freeLocation(for: format)
        do { try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw ExportFailure.io(path: out.deletingLastPathComponent().path, reason: "cannot create: \(ErrorWords.describe(error))")
        }
        let result = try CheckpointExport.export(layers: layers, tensors: work.tunedTensors, checkpoint: checkpoint!, out: out,
                                                 options: ExportOptions(format: format, outliers: outliers, replace: written[format] != nil)) {
            progress(Double($0) / Double(max(1, $1)))
        }
        written[format] = out
        return ([result.summary, "to " + out.path] + result.notes).joined(separator: "\n")
    }

    private func freeLocation(for format: CheckpointFormat) -> URL {
        let folder = base.appendingPathComponent("exports")
        let suffix = format == .gguf ? "." + Checkpoint.ggufExtension : ""
        let names = (1...).lazy.map { n in folder.appendingPathComponent("\(self.recipe.name)-\(format.rawValue)" + (n == 1 ? "" : "-\(n)") + suffix) }
        return names.first { !FileManager.default.fileExists(atPath: $0.path) }!
    }
}
