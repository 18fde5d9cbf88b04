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
    public static func evaluate(models: RunModels, samples: Int, compensation: CompensationSettings?,
                                note: (String) -> Void) throws -> Outcome {
        guard samples > 0 else { throw RecipeError(line: nil, "samples must be at least 1 (an evaluation over none measures nothing)") }
        let (recipe, reference, candidate, tokenizer) = (models.recipe, models.reference, models.quantized, models.tokenizer)
        let text = try self.text(of: models)
        guard let settings = compensation ?? recipe?.compensation else {
            return .quality(try ModelEvaluation.run(reference: reference, quantized: candidate?.model, tokenizer: tokenizer,
                                                    heldOut: text.evaluation, maxSamples: samples))
        }
        guard let recipe, let candidate else { throw RecipeError(line: nil, "QDEC needs a quantized run folder to compensate") }
        let windows = try recipe.calibrationWindows(model: reference, tokenizer: tokenizer, text: text.calibration)
        return .compensation(try ModelEvaluation.compensationSweep(
            reference: reference, quantized: candidate.model, layers: candidate.layers, calibrationWindows: windows, tokenizer: tokenizer,
            heldOut: text.evaluation, settings: settings, maxSamples: samples, onProgress: { note(CompensationTable.pointLine($0)) }))
    }

    /// The token windows `evaluate` takes a causal LM's perplexity over (at most `samples`), so that another
    /// tool can score the same tokens.
    public static func perplexityWindows(models: RunModels, samples: Int) throws -> [[Int]] {
        try ModelEvaluation.perplexityWindows(tokenizer: models.tokenizer, heldOut: try text(of: models).evaluation, maxSamples: samples)
    }

    /// The calibration and held-out text of the run's recipe, else the demo text.
    private static func text(of models: RunModels) throws -> CalibrationSplit {
        try (models.recipe?.calibrationSource ?? .demo).load(seed: models.recipe?.seed ?? 0)
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
        do { try AtomicFile.write(try encoder.encode(evaluation), to: path) } catch {
            throw RunFolderError.io(path: path.path, reason: "cannot write: \(ErrorWords.describe(error))")
        }
        return evaluation
    }
}

/// A checkpoint opened for comparison: the reference model and, given a run folder, a second copy with the
/// run's saved layers applied (fake-quant, in memory). The checkpoint is `modelDirectory`, else the one the run
/// recorded, its recipe's model or the demo model.
public struct RunModels {
    /// The run folder, when one was given.
    public let run: RunFolder?
    /// The run's recipe.
    public let recipe: Recipe?
    /// The untouched model.
    public let reference: TransformerModel
    /// The model with the run's layers, and those layers.
    public let quantized: (model: TransformerModel, layers: [String: QuantizedLayer<Float>])?
    public let tokenizer: Tokenizer

    /// Opens the checkpoint and applies the run; `note` gets a line on what was applied. Refuses a checkpoint
    /// other than the one the run recorded (by fingerprint) unless `anyCheckpoint`.
    public init(modelDirectory: URL?, run url: URL?, anyCheckpoint: Bool = false, note: (String) -> Void) throws {
        let checkpoint: Checkpoint
        (run, recipe, checkpoint) = try Self.open(modelDirectory: modelDirectory, run: url, anyCheckpoint: anyCheckpoint)
        reference = try TransformerModel(checkpoint: checkpoint)
        if let run {
            let model = try TransformerModel(checkpoint: checkpoint)
            let layers = try run.applyLayers(to: model)
            guard !layers.isEmpty else { throw RunFolderError.noLayers(path: run.url.path) }
            note("applied \(layers.count) quantized layers from \(run.url.lastPathComponent)")
            if let plan = try run.allocation() {
                note("bit allocation: " + plan.summary)
            }
            quantized = (model, layers)
        } else {
            quantized = nil
        }
        tokenizer = try checkpoint.loadTokenizer()
    }

    /// The run folder, its recipe and the checkpoint it applies to: `modelDirectory`, else the one the run recorded,
    /// its recipe's model or the demo model. Refuses a checkpoint other than the recorded one (by fingerprint)
    /// unless `anyCheckpoint`.
    public static func open(modelDirectory: URL?, run url: URL?, anyCheckpoint: Bool) throws -> (RunFolder?, Recipe?, Checkpoint) {
        let run = try url.map { try RunFolder(existing: $0) }
        let recipe = try run?.recipe()
        let record = try run?.provenance()?.checkpoint
        let checkpoint = try Checkpoint(directory: modelDirectory ?? record.map { URL(fileURLWithPath: $0.directory) }
                                                   ?? KnownModel.location(of: recipe?.model))
        if let run, let record, !anyCheckpoint,
           try RunProvenance.fingerprint(ofCheckpoint: checkpoint.directory) != record.fingerprint {
            throw RunFolderError.otherCheckpoint(path: run.url.path, recorded: record.directory, current: checkpoint.directory.path)
        }
        return (run, recipe, checkpoint)
    }
}

