import ArgumentParser
import Engine
import ModelKit
import Foundation
import Reports

/// `quantbench run RECIPE.yaml` / `quantbench run --resume RUN_DIR`: a recipe, headless.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment recipe headless and write its run folder.",
        discussion: "Ctrl-C stops after the current sweep and keeps every finished layer; `--resume RUN_DIR` continues. "
            + "Running a recipe into a folder it made resumes it; a folder made by another (or an edited) recipe is refused "
            + "unless --restart. A folder is locked while a run writes it."
    )

    @Argument(help: "A recipe (Experiments/*.yaml).")
    var recipe: String?
    @Option(help: "Continue an interrupted run folder.")
    var resume: String?
    @Option(help: "The run folder (overrides the recipe's output; default runs/<name>-<time>).")
    var output: String?
    @Flag(help: "Clear the run folder's layers and start over (a folder made by another or an edited recipe is refused otherwise).")
    var restart = false
    @Flag(help: "Keep the partial result of a layer whose solve Ctrl-C cancelled (marked cancelled) instead of solving it again on resume.")
    var keepPartial = false
    @Option(help: "A checkpoint overriding the recipe's model: a known model (minilm, smollm2), a folder or a GGUF file.")
    var model: String?
    @Option(help: "Report formats written at the end (md,html,json,csv or all).")
    var formats = "all"

    func validate() throws {
        guard (recipe == nil) != (resume == nil) else { throw ValidationError("give a recipe or --resume RUN_DIR (not both)") }
        if resume != nil && output != nil { throw ValidationError("--output goes with a recipe; --resume names the folder itself") }
    }

    func run() async throws {
        let options = HeadlessRun.Options(modelDirectory: model.map { KnownModel.location(of: $0) }, restart: restart, keepPartial: keepPartial)
        let reporter = RunFolderReporter(formats: try ReportFormat.parseList(formats), toolVersion: QuantBench.configuration.version)
        let result: HeadlessRun.Result
        if let resume {
            result = try await HeadlessRun.resume(URL(fileURLWithPath: resume), options: options, reporter: reporter)
        } else if let recipe {
            var parsed = try RecipeParser.parse(contentsOf: URL(fileURLWithPath: recipe))
            if let output { parsed.output = output }
            result = try await HeadlessRun.start(parsed, base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), options: options,
                                                 reporter: reporter)
        } else {
            throw ValidationError("give a recipe or --resume RUN_DIR")
        }
        try RunCommand.finish(result)
    }

    /// Prints where the run folder is and exits non-zero unless the run completed.
    static func finish(_ result: HeadlessRun.Result) throws {
        let path = result.folder.url.path
        print("run folder: \(path)" + (result.state.isIncomplete ? " (incomplete: resume with quantbench run --resume \(path))" : ""))
        switch result.status {
        case .completed: return
        case .cancelled: throw ExitCode(130)
        case .failed: throw ExitCode(1)
        }
    }
}

/// `quantbench report RUN_DIR --format md,html,json,csv`: re-exports a run's reports from its run.json.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Re-export a run folder's reports.")

    @Argument(help: "A run folder.")
    var runDir: String
    @Option(help: "Formats: md,html,json,csv or all.")
    var format = "all"

    func run() throws {
        let url = URL(fileURLWithPath: runDir)
        let report = try RunReport.read(from: url)
        for file in try ReportWriter.write(report, formats: try ReportFormat.parseList(format), to: url) { print(file.path) }
    }
}
