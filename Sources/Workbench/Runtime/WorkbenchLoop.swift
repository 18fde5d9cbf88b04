import TUIKit
import Engine
import Foundation

/// The UI loop on the calling thread, the only one that touches the terminal: each frame it drains the
/// job's event buffer (the solver never waits for the frame rate) into the `RunState`, reads input with
/// the backend's timeout as the frame clock, reduces it through `App`, sends the effects' commands
/// through `Job.send`, and draws the diff of each new frame.
///
/// ```swift
/// let job = Job(work: work, keepAlive: true)
/// _ = job.start()
/// let bench = WorkbenchLoop(job: job, state: AppState(size: backend.size))
/// let final = bench.run(on: backend)
/// ```
public final class WorkbenchLoop {
    private let job: Job
    private var app: AppState
    private var run = RunState()
    private let exporter: (RunState) throws -> String
    private let log: FileLog?
    private let frameMilliseconds: Int

    /// `exporter` writes the report for `e` and returns what to tell the user.
    public init(job: Job, state: AppState, frameMilliseconds: Int = 33, log: FileLog? = nil,
                exporter: @escaping (RunState) throws -> String = { _ in "export is not available here" }) {
        self.job = job
        self.app = state
        self.frameMilliseconds = frameMilliseconds
        self.log = log
        self.exporter = exporter
    }

    /// Runs until the user quits or a termination signal arrives; ends the job on the way out and
    /// returns the last state of the run.
    public func run(on backend: TerminalBackend) -> RunState {
        app.size = backend.size
        var previous: CellBuffer? = nil
        var dirty = true
        while !app.quitting {
            if backend.terminationRequested {
                log?.write("termination signal: leaving the workbench")
                break
            }
            let events = job.events.drain()
            for e in events {
                App.observe(&app, e, before: run)
                run.apply(e)
                record(e)
            }
            if dirty || !events.isEmpty {
                let frame = App.render(app, run: run, size: app.size)
                backend.draw(frame.diff(from: previous))
                previous = frame
                dirty = false
            }
            guard let input = backend.nextInput(timeoutMs: frameMilliseconds) else { continue }
            switch input {
            case .resize, .repaint: previous = nil   // the terminal's contents are not the last frame's
            default: break
            }
            let (next, effects) = App.reduce(app, input, run: run)
            app = next
            dirty = true
            for effect in effects { perform(effect) }
        }
        job.send(.quit)
        return run
    }

    /// Draws a frame before there is a job (while a model loads): the loading step on the progress gauge
    /// and in the status bar.
    public static func showLoading(_ state: AppState, progress: LoadingProgress, on backend: TerminalBackend) {
        var s = state
        s.size = backend.size
        s.loading = progress
        s.message = "loading \(progress.done + 1)/\(progress.total): " + progress.step + state.palette.glyphs.ellipsis
        backend.draw(App.render(s, run: RunState(), size: s.size).diff(from: nil))
    }

    private func perform(_ effect: AppEffect) {
        switch effect {
        case let .engine(command):
            log?.write("command: \(command)")
            job.send(command)
        case .export:
            do {
                app.message = try exporter(run)
                app.unexportedResults = false
            } catch { app.message = "export failed: \(error)" }
            log?.write("export: \(app.message ?? "")")
        case .quit:
            app.quitting = true
        }
    }

    private func record(_ event: EngineEvent) {
        guard let log else { return }
        switch event {
        case .sweepFinished, .comparisonSweep, .calibrating: break
        default: if let line = ProgressLine.text(for: event) { log.write(line) }
        }
    }
}
