import ArgumentParser
import Engine
import Foundation
import ModelKit

/// `quantbench generate MODEL [--quantized RUN] [--prompt "…"] [--tokens N]`: greedy continuations of the reference
/// and the quantized model, side by side.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Greedy continuations of a prompt by the reference model and a run's quantized model, side by side."
    )

    @Argument(help: "A causal LM: a known model (smollm2), a folder or a GGUF file (default: the run's model).")
    var modelDir: String?
    @OptionGroup var applied: QuantizedRunOptions
    @Option(help: "The text to continue.")
    var prompt = GreedySample.defaultPrompt
    @Option(help: "Tokens to generate at most (generation also stops at the end-of-sequence token).")
    var tokens = GreedySample.defaultTokens
    @Option(help: "Width of the side-by-side columns (default: the terminal's, from COLUMNS, else 100).")
    var width: Int?

    func validate() throws {
        guard tokens > 0 else { throw ValidationError("--tokens must be positive") }
        guard modelDir != nil || applied.quantized != nil else { throw ValidationError("give a model (e.g. smollm2) or --quantized RUN") }
    }

    func run() throws {
        let models = try applied.models(modelDir: modelDir)
        guard models.reference.isCausalLM else { throw CommandFailure("\(models.reference.checkpoint.directory.lastPathComponent) is not a causal LM") }
        let sample = try GreedySample(models: models, prompt: prompt, tokens: tokens)
        let columns = width ?? ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
        print(sample.sideBySide(width: columns), terminator: "")
    }
}
