import ArgumentParser
import Engine
import Foundation
import Reports

/// `quantbench run RECIPE.yaml` / `quantbench run --resume RUN_DIR`: a recipe, headless.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment recipe headless and write its run folder.",
        discussion: "Ctrl-C stops after the current sweep and keeps every finished layer; `--resume RUN_DIR` continues."
    )

    @Argument(help: "A recipe (Experiments/*.yaml).")
    var recipe: String?
    @Option(help: "Continue an interrupted run folder.")
    var resume: String?
    @Option(help: "A checkpoint folder overriding the recipe's model.")
    var model: String?
    @Option(help: "Report formats written at the end (md,html,json,csv or all).")
    var formats = "all"

    func validate() throws {
        guard (recipe == nil) != (resume == nil) else { throw ValidationError("give a recipe or --resume RUN_DIR (not both)") }
    }

    func run() async throws {
        let folder: RunFolder
        let parsed: Recipe
        if let resume {
            folder = try RunFolder(existing: URL(fileURLWithPath: resume))
            parsed = try folder.recipe()
        } else {
            parsed = try RecipeParser.parse(contentsOf: URL(fileURLWithPath: recipe!))
            folder = try RunFolder.create(for: parsed, base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        }
        let run = HeadlessRun(recipe: parsed, folder: folder, modelDirectory: model.map { URL(fileURLWithPath: $0) },
                              formats: try ReportFormat.parseList(formats))
        let (state, _) = try await run.run()
        print("run folder: \(folder.url.path)" + (state.isIncomplete ? " (incomplete: resume with quantbench run --resume \(folder.url.path))" : ""))
        if state.status == .failed { throw ExitCode(1) }
        if state.status == .cancelled { throw ExitCode(130) }
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
