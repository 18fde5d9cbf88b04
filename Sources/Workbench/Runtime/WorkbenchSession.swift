import Engine
import Foundation
import TUIKit

/// A terminal the workbench can open and must close again (CursesBackend's, passed in by the executable).
public protocol WorkbenchTerminal: TerminalBackend {
    var depth: ColorDepth { get }
    var unicode: Bool { get }
    func close()
}

/// Builds a session's work, telling its argument each loading step.
public typealias WorkFactory = (_ progress: @escaping (LoadingProgress) -> Void) throws -> any QuantizationWork

/// One workbench session: opens the terminal, loads the work, and runs it there or, without a terminal,
/// as progress lines.
public struct WorkbenchSession {
    let recipe: Recipe
    let themes: [Theme]
    let log: FileLog
    let headless: Bool
    let openTerminal: @Sendable () -> (any WorkbenchTerminal)?
    let makeExports: @Sendable (TrackedWork) -> Exports

    /// `openTerminal` opens the screen (nil when it cannot); `makeExports` gives `e` its targets over the run's results.
    public init(recipe: Recipe, themes: [Theme], log: FileLog, headless: Bool, openTerminal: @escaping @Sendable () -> (any WorkbenchTerminal)?,
                makeExports: @escaping @Sendable (TrackedWork) -> Exports) {
        self.recipe = recipe
        self.themes = themes
        self.log = log
        self.headless = headless
        self.openTerminal = openTerminal
        self.makeExports = makeExports
    }

    /// Opens the workbench and builds the work with `makeWork` while it shows the loading steps `makeWork`
    /// reports; without a terminal, builds the work and prints progress lines instead.
    public func open(_ makeWork: @escaping WorkFactory) async throws -> RunStatus {
        if !headless && isatty(0) != 0 && isatty(1) != 0 {
            switch await runWorkbench(makeWork) {
            case let .finished(status): return status
            case let .failed(error): throw error
            case .noTerminal:
                say("ncurses cannot open this terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset")); printing progress lines")
            }
        } else if !headless {
            say("no terminal on \(isatty(0) == 0 ? "stdin" : "stdout"): printing progress lines")
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
        let recipe = self.recipe, themes = self.themes, log = self.log
        let openTerminal = self.openTerminal, makeExports = self.makeExports
        let factory = FactoryBox(makeWork)
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<(RunState, Task<RunStatus, Never>)?, Never>) in
            let thread = Thread {
                guard let terminal = openTerminal() else { done.resume(returning: nil); return }
                log.write("workbench opened: \(terminal.size), colours \(terminal.depth.rawValue), unicode \(terminal.unicode)")
                let state = AppState(size: terminal.size, method: MethodDraft(recipe.method, comparedWith: recipe.compare),
                                     recipes: Resources.recipes(log: log), themes: themes, depth: terminal.depth,
                                     glyphs: terminal.unicode ? .unicode : .ascii)
                let work: TrackedWork
                do {
                    work = TrackedWork(try factory.make { WorkbenchLoop.showLoading(state, progress: $0, on: terminal) })
                } catch {
                    terminal.close()
                    factory.error = error
                    done.resume(returning: nil)
                    return
                }
                let job = Job(work: work, keepAlive: true)
                let status = job.start()
                let final = WorkbenchLoop(job: job, state: state, log: log, exports: makeExports(work)).run(on: terminal)
                terminal.close()
                log.write("workbench closed")
                done.resume(returning: (final, status))
            }
            thread.name = "quantbench-ui"
            thread.start()
        }
        if let error = factory.error { return .failed(error) }
        guard let (final, status) = outcome else { return .noTerminal }
        say("workbench closed: \(final.finished.count)/\(final.layers.count) layers done; stopping the solver…")
        _ = await status.value
        return .finished(final.status ?? .cancelled)
    }

    /// Progress lines; Ctrl-C or SIGTERM cancels after the current sweep.
    private func runHeadless(_ work: any QuantizationWork) async -> RunStatus {
        let job = Job(work: work)
        let status = job.start()
        let interrupt = Interrupt { _ in job.send(.cancel) }
        defer { interrupt.cancel() }
        var state = RunState()
        for await event in job.events {
            state.apply(event)
            if let line = ProgressLine.text(for: event, in: state) { say(line) }
        }
        return await status.value
    }
}

/// One line on stdout, written at once: `print` is block-buffered into a pipe or a file, where lines would
/// arrive late or, after Ctrl-C, never.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Carries the work factory onto the UI thread, which calls it, and its error back.
private final class FactoryBox: @unchecked Sendable {
    let make: WorkFactory
    var error: (any Error)?
    init(_ make: @escaping WorkFactory) { self.make = make }
}
