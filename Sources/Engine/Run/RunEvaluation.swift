import Foundation
import ModelKit
import QuantCore

/// End-to-end evaluation of a run folder: its saved layers put into the checkpoint they were solved on
/// (fake-quant, in memory), then the held-out metric against FP32 or, with QDEC settings, the
/// compensation sweep. `quantbench eval` is one call of `evaluate`.
public enum RunEvaluation {
    /// What an evaluation measured.
    public enum Outcome: Sendable {
        case quality(ModelEvaluation)
        case compensation(CompensationSweep)
    }

    /// The name of the evaluation file a quantize run leaves in its folder.
    public static let fileName = "evaluation.json"

    /// Evaluates the run in `run` (or the bare checkpoint when nil) on `modelDirectory`, else the checkpoint the
    /// run recorded, its recipe's model or the demo model. QDEC runs with `compensation`, else with the
    /// recipe's `qdec:` settings when it has them. `note` gets progress lines.
    public static func evaluate(modelDirectory: URL?, run url: URL?, samples: Int, compensation: CompensationSettings?,
                                note: (String) -> Void) throws -> Outcome {
        let run = try url.map { try RunFolder(existing: $0) }
        let recipe = try run?.recipe()
        let recorded = try run?.provenance()?.checkpoint.map { URL(fileURLWithPath: $0.directory) }
        let dir = modelDirectory ?? recorded ?? KnownModel.location(of: recipe?.model)
        let checkpoint = try Checkpoint(directory: dir)
        let reference = try TransformerModel(checkpoint: checkpoint)
        var candidate: (model: TransformerModel, layers: [String: QuantizedLayer<Float>])? = nil
        if let run {
            let model = try TransformerModel(checkpoint: checkpoint)
            let layers = try run.applyLayers(to: model)
            guard !layers.isEmpty else { throw RunFolderError.noLayers(path: run.url.path) }
            note("applied \(layers.count) quantized layers from \(run.url.lastPathComponent)")
            candidate = (model, layers)
        }
        let tokenizer = try checkpoint.loadTokenizer()
        let text = try (recipe?.calibrationSource ?? .demo).load(seed: recipe?.seed ?? 0)
        guard let settings = compensation ?? recipe?.compensation else {
            return .quality(try ModelEvaluation.run(reference: reference, quantized: candidate?.model, tokenizer: tokenizer,
                                                    heldOut: text.evaluation, maxSamples: samples))
        }
        guard let recipe, let candidate else { throw RecipeError(line: nil, "QDEC needs a quantized run folder to compensate") }
        let windows = try recipe.calibrationWindows(model: reference, tokenizer: tokenizer, text: text.calibration)
        return .compensation(try ModelEvaluation.compensationSweep(
            reference: reference, quantized: candidate.model, layers: candidate.layers, calibrationWindows: windows, tokenizer: tokenizer,
            heldOut: text.evaluation, settings: settings, maxSamples: samples) { note(CompensationTable.pointLine($0)) })
    }

    /// The held-out metric of a finished run's model (its work holds the quantized weights), saved as
    /// `evaluation.json` in its folder.
    public static func evaluate(_ result: HeadlessRun.Result) throws -> ModelEvaluation {
        let work = result.work
        let evaluation = try ModelEvaluation.run(reference: try TransformerModel(checkpoint: work.model.checkpoint), quantized: work.model,
                                                 tokenizer: work.tokenizer, heldOut: work.text.evaluation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = result.folder.url.appendingPathComponent(fileName)
        do { try encoder.encode(evaluation).write(to: path, options: .atomic) } catch {
            throw RunFolderError.io(path: path.path, reason: "cannot write: \(error.localizedDescription)")
        }
        return evaluation
    }
}
