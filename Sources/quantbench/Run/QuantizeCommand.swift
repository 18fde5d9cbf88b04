import ArgumentParser
import Engine
import Foundation
import ModelKit
import QuantCore
import Reports

/// `quantbench quantize [MODEL_DIR] --method M --bits B …`: calibration plus one solver over every selected
/// linear, then the end-to-end metric — a recipe written as flags.
struct QuantizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Calibrate and quantize a model's linear layers, then measure end-to-end quality.",
        discussion: "Writes a run folder like `quantbench run` (its recipe.yaml holds these flags as a recipe)."
    )

    @Argument(help: "A checkpoint folder (default: the demo model).")
    var modelDir: String?
    @OptionGroup var method: MethodOptions
    @Option(help: "Calibration text: demo (python's documentation topics) or a .txt/.jsonl file.")
    var calibration = "demo"
    @Option(help: "Calibration windows.")
    var samples = 128
    @Option(help: "Tokens per calibration window.")
    var seqlen = 128
    @Option(help: "Seed of the window sampling and the held-out split.")
    var seed: UInt64 = 0
    @Option(help: "block-sequential or from-fp.")
    var pipeline = "block-sequential"
    @Flag(help: "Quantize q/k/v, o, fc1, fc2 one group at a time inside each block.")
    var trueSequential = false
    @Option(help: "Layer name globs, comma-separated (e.g. '*.attention.*').")
    var layers: String?
    @Option(help: "A block or block range, e.g. 0-3.")
    var blocks: String?
    @Option(help: "Run folder (default: runs/quantize-<method>-<bits>bit-<time>).")
    var output: String?
    @Flag(help: "Skip the end-to-end evaluation.")
    var noEval = false
    @OptionGroup var qdec: CompensationOptions

    func run() async throws {
        let chosen = try method.layerMethod()
        var yaml = "name: quantize-\(chosen.name)-\(chosen.nominalBits)bit\n"
        yaml += "model: \(modelDir.map { "\"\($0)\"" } ?? "demo")\n"
        yaml += "calibration: {source: \"\(calibration)\", samples: \(samples), sequence_length: \(seqlen), seed: \(seed)}\n"
        yaml += "pipeline: {mode: \(pipeline), true_sequential: \(trueSequential)}\n"
        if layers != nil || blocks != nil {
            yaml += "layers: {" + [layers.map { "include: \"\($0)\"" }, blocks.map { "blocks: \($0)" }].compactMap { $0 }.joined(separator: ", ") + "}\n"
        }
        yaml += "method: \(Recipe.yaml(chosen))\n"
        if let output { yaml += "output: \"\(output)\"\n" }
        var recipe = try RecipeParser.parse(yaml)          // validates the run settings with the recipe rules
        recipe.method = chosen
        recipe.compensation = try qdec.settings()
        recipe.text = recipe.yaml()
        let folder = try RunFolder.create(for: recipe, base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let (state, work) = try await HeadlessRun(recipe: recipe, folder: folder, modelDirectory: nil, formats: ReportFormat.allCases).run()
        if !noEval && state.status == .completed {
            FileHandle.standardError.write(Data("evaluating on held-out text…\n".utf8))
            let reference = try TransformerModel(checkpoint: work.model.checkpoint)
            let eval = try ModelEvaluation.run(reference: reference, quantized: work.model, tokenizer: work.tokenizer, heldOut: work.text.evaluation)
            print(eval.line)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(eval).write(to: folder.url.appendingPathComponent("evaluation.json"), options: .atomic)
        }
        print("run folder: \(folder.url.path)")
        if state.status != .completed { throw ExitCode(state.status == .cancelled ? 130 : 1) }
    }
}

/// `quantbench eval [MODEL_DIR] [--quantized RUN_DIR]`: end-to-end quality of a run's quantized weights.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Embedding cosine (encoders) or perplexity (causal LMs) of a quantized run against FP32 on held-out text."
    )

    @Argument(help: "A checkpoint folder (default: the run's model, or the demo model).")
    var modelDir: String?
    @Option(help: "A run folder whose quantized layers are applied in memory (fake-quant).")
    var quantized: String?
    @Option(help: "Held-out sentences (encoders) or windows (causal LMs) at most.")
    var samples = 256
    @OptionGroup var qdec: CompensationOptions
    @Flag(help: "Print the QDEC sweep as JSON.")
    var json = false

    func run() throws {
        let run = try quantized.map { try RunFolder(existing: URL(fileURLWithPath: $0)) }
        let recipe = try run?.recipe()
        let dir = modelDir.map { URL(fileURLWithPath: $0) } ?? recipe?.model.map { URL(fileURLWithPath: $0) } ?? DemoModel.defaultDirectory
        let checkpoint = try Checkpoint(directory: dir)
        let reference = try TransformerModel(checkpoint: checkpoint)
        var candidate: TransformerModel? = nil
        if let run {
            let model = try TransformerModel(checkpoint: checkpoint)
            let layers = try run.finishedLayers()
            guard !layers.isEmpty else { throw ValidationError("\(run.url.path) has no quantized layers yet") }
            for (name, kept) in layers { try model.replaceWeight(name, with: kept.layer.dequantized()) }
            candidate = model
            FileHandle.standardError.write(Data("applied \(layers.count) quantized layers from \(run.url.lastPathComponent)\n".utf8))
        }
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        let text = try (recipe?.calibrationSource ?? .demo).load(seed: recipe?.seed ?? 0)
        if let settings = try qdec.settings() ?? recipe?.compensation {
            guard let run, let recipe, let candidate else { throw ValidationError("QDEC needs --quantized RUN_DIR") }
            let layers = try run.finishedLayers().mapValues(\.layer)
            let windows = try recipe.calibrationWindows(model: reference, tokenizer: tokenizer, text: text.calibration)
            let sweep = try ModelEvaluation.compensationSweep(
                reference: reference, quantized: candidate, layers: layers, calibrationWindows: windows, tokenizer: tokenizer,
                heldOut: text.evaluation, settings: settings, maxSamples: samples) { point in
                    FileHandle.standardError.write(Data("QDEC \(point.selection.rawValue) k_chunk \(point.kChunk): \(point.metric)\n".utf8))
                }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(sweep), as: UTF8.self))
            } else {
                print(CompensationTable.render(sweep), terminator: "")
            }
            return
        }
        print(try ModelEvaluation.run(reference: reference, quantized: candidate, tokenizer: tokenizer, heldOut: text.evaluation, maxSamples: samples).line)
    }
}
