import ArgumentParser
import Engine
import Foundation
import Workbench

/// `quantbench bench finetune [--recipe FILE] [--blocks N]`: block fine-tuning's cost against the layer-wise solve, as JSON.
struct TuningBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Time block fine-tuning against the layer-wise solve of the same blocks and print JSON.",
        discussion: """
        The recipe's first blocks are quantized layer-wise (calibration, Σ, the solves and the recipe's comparisons),
        then each block is fine-tuned with the recipe's finetune settings (the defaults when it has none), on the
        recipe's calibration windows. The report has both wall times and their ratio, and each block's held-out
        output error before and after. Default: the workbench's default recipe, Experiments/minilm-quantease-3bit.yaml.
        Build with -c release.
        """
    )

    @Option(help: "The recipe (default: Experiments/minilm-quantease-3bit.yaml).")
    var recipe: String?
    @Option(help: "Blocks, from the first.")
    var blocks = 2

    func run() throws {
        guard blocks > 0 else { throw ValidationError("--blocks must be at least 1") }
        let path = recipe.map { URL(fileURLWithPath: $0) } ?? Resources.folder("Experiments")?.appendingPathComponent("minilm-quantease-3bit.yaml")
        guard let path else { throw ValidationError("no recipe: pass --recipe") }
        let report = try TuningBench.run(recipe: try RecipeParser.parse(contentsOf: path), blocks: blocks) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
    }
}
