import ArgumentParser
import Engine
import Foundation
import ModelKit
import Reports

/// `quantbench quantize [MODEL_DIR] --method M --bits B …`: calibration plus one solver over every selected
/// linear, then the end-to-end metric — a recipe written as flags.
struct QuantizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Calibrate and quantize a model's linear layers, then measure end-to-end quality.",
        discussion: "Writes a run folder like `quantbench run` (its recipe.yaml holds these flags as a recipe)."
    )

    @Argument(help: "A checkpoint: a known model (minilm, smollm2), a Hugging Face folder or a GGUF file (default: minilm).")
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
    @Flag(help: "Clear the run folder's layers and start over (a folder made by other flags is refused otherwise).")
    var restart = false
    @Flag(help: "Skip the end-to-end evaluation.")
    var noEval = false
    @OptionGroup var qdec: CompensationOptions

    func run() async throws {
        let chosen = try method.layerMethod()
        guard let mode = PipelineMode(rawValue: pipeline) else {
            throw ValidationError("--pipeline '\(pipeline)' is not one of \(PipelineMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let blockRange = try blocks.map { text in
            guard let range = Recipe.blockRange(text) else { throw ValidationError("--blocks '\(text)' is not a block or a range like 0-3") }
            return range
        }
        let patterns = layers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        let recipe = try Recipe(
            validating: "quantize-\(chosen.name)-\(chosen.nominalBits)bit", model: modelDir,
            calibrationSource: calibration == "demo" ? .demo : .file(calibration), samples: samples, sequenceLength: seqlen, seed: seed,
            pipeline: PipelineOptions(mode: mode, trueSequential: trueSequential, selection: LayerSelection(patterns: patterns, blocks: blockRange)),
            method: chosen, output: output, compensation: try qdec.settings())
        let result = try await HeadlessRun.start(recipe, base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                                 options: .init(restart: restart),
                                                 reporter: RunFolderReporter(formats: ReportFormat.allCases, toolVersion: QuantBench.configuration.version))
        if !noEval && result.status == .completed {
            FileHandle.standardError.write(Data("evaluating on held-out text…\n".utf8))
            // The quantization stands whatever the held-out text allows.
            do { print(try RunEvaluation.evaluate(result).line) } catch {
                FileHandle.standardError.write(Data("evaluation skipped: \(ErrorWords.describe(error))\n".utf8))
            }
        }
        try RunCommand.finish(result)
    }
}

/// `quantbench eval [MODEL_DIR] [--quantized RUN_DIR]`: end-to-end quality of a run's quantized weights.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Embedding cosine (encoders) or perplexity (causal LMs) of a quantized run against FP32 on held-out text."
    )

    @Argument(help: "A checkpoint: a known model (minilm, smollm2), a folder or a GGUF file (default: the run's model, or minilm).")
    var modelDir: String?
    @OptionGroup var applied: QuantizedRunOptions
    @Option(help: "Held-out sentences (encoders) or windows (causal LMs) at most.")
    var samples = 256
    @OptionGroup var qdec: CompensationOptions
    @Flag(help: "Print the QDEC sweep as JSON.")
    var json = false
    @Option(help: ArgumentHelp("Also write the token ids of the perplexity windows to this JSON file (causal LMs).",
                               discussion: "{\"windows\": [[ids…], …]}: score the same tokens in another tool (llama.cpp, transformers)."))
    var saveWindows: String?

    func run() throws {
        let models = try applied.models(modelDir: modelDir)
        if let saveWindows {
            guard models.reference.isCausalLM else { throw ValidationError("--save-windows: \(models.reference.checkpoint.location) is not a causal LM (it has no perplexity windows)") }
            let windows = try RunEvaluation.perplexityWindows(models: models, samples: samples)
            let url = URL(fileURLWithPath: saveWindows)
            do { try AtomicFile.write(try JSONSerialization.data(withJSONObject: ["windows": windows]), to: url) } catch {
                throw CommandFailure("cannot write \(url.path): \(ErrorWords.describe(error))")
            }
        }
        let outcome = try RunEvaluation.evaluate(models: models, samples: samples,
                                                 compensation: try qdec.settings()) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        switch outcome {
        case let .quality(evaluation):
            print(evaluation.line)
        case let .compensation(sweep) where json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(sweep), as: UTF8.self))
        case let .compensation(sweep):
            print(CompensationTable.render(sweep), terminator: "")
        }
    }
}
