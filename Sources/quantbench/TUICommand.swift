import ArgumentParser
import CursesBackend
import Dispatch
import Engine
import Foundation
import ModelKit
import QuantCore
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
            + "s/S sweeps, g group size, m method panel, c compare, o recipes, p pause, x cancel, e export, q quit. "
            + "Themes come from Themes/*.theme (btop format); logs go to --log, never to the screen."
    )

    @Argument(help: "A Hugging Face checkpoint folder (safetensors + config.json + tokenizer.json).")
    var modelDir: String?
    @Option(help: "The recipe whose calibration and method start the run (default: Experiments/minilm-quantease-3bit.yaml).")
    var recipe: String?
    @Option(help: "Theme name from the Themes folder (default-dark, light, tty, …).")
    var theme = "default-dark"
    @Option(help: "Where the log goes.")
    var log = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-tui.log").path
    @Flag(help: "Print progress lines instead of opening the workbench.")
    var headless = false

    func run() async throws {
        let recipe = try loadRecipe()
        let modelURL = modelDir.map { URL(fileURLWithPath: $0) }
        let session = Session(recipe: recipe, themeName: theme, log: FileLog(url: URL(fileURLWithPath: log)), headless: headless)
        let status = try await session.open { progress in try ModelWork(recipe: recipe, modelDirectory: modelURL, progress: progress) }
        if status == .failed { throw ExitCode(1) }
    }

    private func loadRecipe() throws -> Recipe {
        if let recipe { return try RecipeParser.parse(contentsOf: URL(fileURLWithPath: recipe)) }
        let shipped = Resources.folder("Experiments")?.appendingPathComponent("minilm-quantease-3bit.yaml")
        if let shipped, FileManager.default.fileExists(atPath: shipped.path) { return try RecipeParser.parse(contentsOf: shipped) }
        return try RecipeParser.parse("name: workbench\nmethod: {name: quantease, bits: 3, init: gptq, sweeps: 30}\ncompare: [gptq]\n")
    }
}

/// One workbench session: opens the terminal, loads the work, and runs it there or, without a terminal,
/// as progress lines.
struct Session {
    let recipe: Recipe
    let themeName: String
    let log: FileLog
    let headless: Bool

    /// Opens the workbench and builds the work with `makeWork` while it shows the loading steps `makeWork`
    /// reports; without a terminal, builds the work and prints progress lines instead.
    func open(_ makeWork: @escaping WorkFactory) async throws -> RunStatus {
        if !headless && isatty(0) != 0 && isatty(1) != 0 {
            switch await runWorkbench(makeWork) {
            case let .finished(status): return status
            case let .failed(error): throw error
            case .noTerminal:
                print("ncurses cannot open this terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset")); printing progress lines")
            }
        }
        return await runHeadless(try makeWork { p in
            FileHandle.standardError.write(Data("loading \(p.done + 1)/\(p.total): \(p.step)…\n".utf8))
        })
    }

    /// How a workbench session ended.
    private enum Outcome: @unchecked Sendable {
        case finished(RunStatus)
        case failed(any Error)
        case noTerminal
    }

    /// The workbench on a thread of its own (ncurses wants one thread; the cooperative pool stays free
    /// for the engine's pumps). After the user leaves, waits for the solver to stop at its next sweep, so
    /// the process never exits in the middle of a BLAS call.
    private func runWorkbench(_ makeWork: @escaping WorkFactory) async -> Outcome {
        let recipe = self.recipe, themeName = self.themeName, log = self.log
        let factory = FactoryBox(makeWork)
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<(RunState, Task<RunStatus, Never>)?, Never>) in
            let thread = Thread {
                guard let terminal = CursesTerminal.open(strayOutput: log.url) else { done.resume(returning: nil); return }
                log.write("workbench opened: \(terminal.size), colours \(terminal.depth.rawValue), unicode \(terminal.unicode)")
                let themes = Resources.themes(preferred: themeName, log: log)
                let state = AppState(size: terminal.size, method: MethodDraft(recipe.method, comparedWith: recipe.compare.first),
                                     recipes: Resources.recipes(log: log), themes: themes, depth: terminal.depth,
                                     glyphs: terminal.unicode ? .unicode : .ascii)
                let work: any QuantizationWork
                do { work = try factory.make { WorkbenchLoop.showLoading(state, progress: $0, on: terminal) } } catch {
                    terminal.close()
                    factory.error = error
                    done.resume(returning: nil)
                    return
                }
                let job = Job(work: work, keepAlive: true, compare: recipe.compare)
                let status = job.start()
                let exporter = ReportExporter(recipe: recipe, started: Date())
                let final = WorkbenchLoop(job: job, state: state, log: log, exporter: exporter.export).run(on: terminal)
                terminal.close()
                log.write("workbench closed")
                done.resume(returning: (final, status))
            }
            thread.name = "quantbench-ui"
            thread.start()
        }
        if let error = factory.error { return .failed(error) }
        guard let (final, status) = outcome else { return .noTerminal }
        print("workbench closed: \(final.finished.count)/\(final.layers.count) layers done; stopping the solver…")
        _ = await status.value
        return .finished(final.status ?? .cancelled)
    }

    /// Progress lines; Ctrl-C or SIGTERM cancels after the current sweep.
    private func runHeadless(_ work: any QuantizationWork) async -> RunStatus {
        let job = Job(work: work, compare: recipe.compare)
        let status = job.start()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { job.send(.cancel) }
            s.resume()
            sources.append(s)
        }
        defer { sources.forEach { $0.cancel() } }
        for await event in job.events {
            if let line = HeadlessProgress.line(for: event) { print(line) }
        }
        return await status.value
    }
}

/// Builds a session's work, telling its argument each loading step.
typealias WorkFactory = (_ progress: @escaping (LoadingProgress) -> Void) throws -> any QuantizationWork

/// Carries the work factory onto the UI thread, which calls it, and its error back.
private final class FactoryBox: @unchecked Sendable {
    let make: WorkFactory
    var error: (any Error)?
    init(_ make: @escaping WorkFactory) { self.make = make }
}

/// `e` in the workbench: the run report in every format, into a run folder made on the first export.
private final class ReportExporter: @unchecked Sendable {
    let recipe: Recipe
    let started: Date
    private var folder: RunFolder?

    init(recipe: Recipe, started: Date) {
        self.recipe = recipe
        self.started = started
    }

    func export(_ state: RunState) throws -> String {
        let folder = try self.folder ?? RunFolder.create(for: recipe, base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        self.folder = folder
        let report = try RunReport(state: state, recipe: recipe.text, recipeName: recipe.name, toolVersion: QuantBench.configuration.version,
                               environment: .current(), started: started, finished: state.status == nil ? nil : Date())
        let files = try ReportWriter.write(report, formats: ReportFormat.allCases, to: folder.url)
        return "exported \(files.count) files to \(folder.url.path)"
    }
}

/// Finds the shipped folders (Themes, Experiments) in the working directory or beside the executable.
enum Resources {
    static func folder(_ name: String) -> URL? {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name),
                          exe.appendingPathComponent("../share/quantbench/\(name)"), exe.appendingPathComponent("../../\(name)"),
                          exe.appendingPathComponent("../../../\(name)")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.standardizedFileURL
    }

    /// Every theme found, the preferred one first; the built-in default when none are found.
    static func themes(preferred: String, log: FileLog) -> [Theme] {
        guard let dir = folder("Themes") else { return [.defaultDark] }
        let (themes, errors) = ThemeParser.loadFolder(dir)
        errors.forEach { log.write("theme: \($0)") }
        guard let i = themes.firstIndex(where: { $0.name == preferred }) else {
            log.write("theme \(preferred) not found in \(dir.path)")
            return themes.isEmpty ? [.defaultDark] : themes
        }
        return [themes[i]] + themes.enumerated().filter { $0.offset != i }.map(\.element)
    }

    /// The recipes of Experiments/ for the picker; ones that fail to parse are logged and skipped.
    static func recipes(log: FileLog) -> [RecipeEntry] {
        guard let dir = folder("Experiments"),
              let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return files.filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { url in
            do {
                let r = try RecipeParser.parse(contentsOf: url)
                let comment = r.text.split(separator: "\n").first { $0.hasPrefix("#") }.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
                return RecipeEntry(name: r.name, description: comment ?? "", method: r.method, compare: r.compare)
            } catch {
                log.write("recipe \(url.lastPathComponent): \(error)")
                return nil
            }
        }
    }
}
