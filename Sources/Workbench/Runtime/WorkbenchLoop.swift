import TUIKit
import Engine
import Foundation
import Synchronization

/// The UI loop: engine events drain into an inbox on a task of their own (so the solver is never held
/// back by the frame rate), and the calling thread, the only one that touches the terminal, folds them
/// into the `RunState`, reads input with the backend's timeout as the frame clock, reduces it through
/// `App`, runs the effects, and draws the diff of each new frame.
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
    private let inbox = EventInbox()
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

    /// Runs until the user quits or a termination signal arrives; cancels the job on the way out and
    /// returns the last state of the run.
    public func run(on backend: TerminalBackend) -> RunState {
        let inbox = self.inbox, events = job.events
        let pump = Task.detached {
            for await e in events { inbox.append(e) }
        }
        defer { pump.cancel() }
        app.size = backend.size
        var previous: CellBuffer? = nil
        var dirty = true
        while !app.quitting {
            if backend.terminationRequested {
                log?.write("termination signal: leaving the workbench")
                break
            }
            let events = inbox.take()
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
            if case .resize = input { previous = nil }
            let (next, effects) = App.reduce(app, input, run: run)
            app = next
            dirty = true
            for effect in effects { perform(effect) }
        }
        job.post(.cancel)
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
            job.post(command)
        case .export:
            do { app.message = try exporter(run) } catch { app.message = "export failed: \(error)" }
            log?.write("export: \(app.message ?? "")")
        case .quit:
            app.quitting = true
        }
    }

    private func record(_ event: EngineEvent) {
        guard let log else { return }
        switch event {
        case .sweepFinished, .calibrating: break
        default: if let line = ProgressLine.text(for: event) { log.write(line) }
        }
    }
}

/// Events waiting for the next frame, shared by the pump task and the UI thread.
final class EventInbox: Sendable {
    private let events = Mutex<[EngineEvent]>([])

    func append(_ e: EngineEvent) { events.withLock { $0.append(e) } }

    /// Everything queued, oldest first; the inbox is empty afterwards.
    func take() -> [EngineEvent] { events.withLock { box in defer { box.removeAll() }; return box } }
}
