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
    private let exports: Exports
    private var export: BackgroundExport? = nil
    private let log: FileLog?
    private let frameMilliseconds: Int

    /// `exports` are what the export picker offers (the picker's state is made from them).
    public init(job: Job, state: AppState, frameMilliseconds: Int = 33, log: FileLog? = nil, exports: Exports = .none) {
        self.job = job
        self.app = state
        app.export = exports.view
        self.frameMilliseconds = frameMilliseconds
        self.log = log
        self.exports = exports
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
            if pollExport() { dirty = true }
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
        if let export {
            app.message = "finishing the \(app.export.running?.target ?? "") export" + app.palette.glyphs.ellipsis
            backend.draw(App.render(app, run: run, size: app.size).diff(from: previous))
            export.wait()
            _ = pollExport()
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
        case let .export(request):
            log?.write("export: \(request.target)" + (request.outliers.map { ", outliers \($0)" } ?? ""))
            export = BackgroundExport(request, run: run, exports: exports)
        case .quit:
            app.quitting = true
        }
    }

    /// Takes the background export's progress into the picker and, once it ended, its outcome into the status
    /// bar; true when the screen changed.
    private func pollExport() -> Bool {
        guard let export else { return false }
        let (fraction, result) = export.poll()
        guard let result else {
            guard app.export.running?.fraction != fraction else { return false }
            app.export.running?.fraction = fraction
            return true
        }
        self.export = nil
        switch result {
        case let .success(text):
            app.export.finish(text, failed: false)
            app.unexportedResults = false
            app.message = String(text.prefix { $0 != "\n" })
        case let .failure(error):
            let text = "\(error)"
            app.export.finish(text, failed: true)
            app.message = "export failed: " + String(text.prefix { $0 != "\n" })
        }
        log?.write("export: \(app.export.outcome ?? "")")
        return true
    }

    private func record(_ event: EngineEvent) {
        guard let log else { return }
        switch event {
        case .sweepFinished, .comparisonSweep, .calibrating: break
        default: if let line = ProgressLine.text(for: event) { log.write(line) }
        }
    }
}
