import ArgumentParser
import CursesBackend
import Engine
import Foundation
import ModelKit
import Reports
import TUIKit
import Workbench

/// `quantbench tui [MODEL_DIR]`: the ncurses workbench over a checkpoint. Without a terminal (or when
/// ncurses cannot open it) the same run prints progress lines instead.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the quantization workbench on a checkpoint folder (the demo model by default).",
        discussion: "Keys: ? help, ↑↓ or j/k choose a layer, ⏎ solve it with the current method, +/- bits, [ ] outlier budget, "
            + "s/S sweeps, g group size, m method panel, c compare, o recipes, p pause, x cancel, e export (run folder or checkpoint), q quit. "
            + "Themes (btop format, *.theme) are the shipped ones plus $XDG_CONFIG_HOME/quantbench/themes and ./Themes; "
            + "logs go to --log, never to the screen."
    )

    @Argument(help: "A checkpoint: a known model (minilm, smollm2), a Hugging Face folder or a GGUF file.")
    var modelDir: String?
    @Option(help: "The recipe whose calibration and method start the run (default: Experiments/<model>-quantease-3bit.yaml of a known model, else minilm's).")
    var recipe: String?
    @Option(help: "Theme name from the Themes folder (default-dark, light, tty, …).")
    var theme = "default-dark"
    @Option(help: "Where the log goes.")
    var log = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-tui.log").path
    @Flag(help: "Print progress lines instead of opening the workbench.")
    var headless = false

    func run() async throws {
        let recipe = try loadRecipe()
        let modelURL = modelDir.map { KnownModel.location(of: $0) }
        let checkpoint = modelURL ?? KnownModel.location(of: recipe.model)
        let logFile = URL(fileURLWithPath: log), fileLog = FileLog(url: logFile)
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let session = WorkbenchSession(
            recipe: recipe, themes: try Resources.themes(preferred: theme, log: fileLog), log: fileLog, headless: headless,
            openTerminal: { CursesTerminal.open(strayOutput: logFile) },
            makeExports: { work in
                Self.exports(runFolder: RunExporter(recipe: recipe, work: work, checkpoint: checkpoint, base: base, toolVersion: QuantBench.configuration.version),
                             checkpoints: CheckpointExporter(recipe: recipe, work: work, checkpoint: checkpoint, base: base))
            })
        let status = try await session.open { progress in try ModelWork(recipe: recipe, modelDirectory: modelURL, progress: progress) }
        if let signal = CursesTerminal.receivedTerminationSignal { throw ExitCode(128 + signal) }
        if status == .failed { throw ExitCode(1) }
    }

    /// The export picker's targets: the run folder with its reports, then every checkpoint format.
    private static func exports(runFolder: RunExporter, checkpoints: CheckpointExporter) -> Exports {
        let run = "run"
        let formats = CheckpointFormat.allCases.map { ExportChoice($0.rawValue, $0.loaders) }
        let handling = OutlierHandling.allCases.map { ExportChoice($0.rawValue, $0.summary) }
        return Exports(targets: [ExportChoice(run, RunExporter.summary)] + formats,
                       outlierHandling: handling, keepsOutliers: [run, CheckpointFormat.dense.rawValue]) { request, state, progress in
            guard let format = CheckpointFormat(rawValue: request.target) else { return try runFolder.export(state) }
            return try checkpoints.export(format: format, outliers: request.outliers.flatMap(OutlierHandling.init) ?? .refuse, progress: progress)
        }
    }

    /// The recipe given, else the shipped 3-bit QuantEase recipe of the known model opened (MiniLM's for others).
    private func loadRecipe() throws -> Recipe {
        if let recipe { return try RecipeParser.parse(contentsOf: URL(fileURLWithPath: recipe)) }
        let model = modelDir.flatMap(KnownModel.named) ?? .miniLM
        let shipped = Resources.folder("Experiments")?.appendingPathComponent("\(model.name)-quantease-3bit.yaml")
        if let shipped, FileManager.default.fileExists(atPath: shipped.path) { return try RecipeParser.parse(contentsOf: shipped) }
        return try RecipeParser.parse("name: workbench\nmethod: {name: quantease, bits: 3, init: gptq, sweeps: 30}\ncompare: [gptq]\n")
    }
}

extension CursesTerminal: WorkbenchTerminal {}
