import Engine
import Foundation

/// What the export picker offers and the code that writes each target. The executable builds it: it sees the
/// writers (run folders, checkpoint formats), which this module does not.
public struct Exports: Sendable {
    public var targets: [ExportChoice]
    public var outlierHandling: [ExportChoice]
    /// Targets the outlier handling does not apply to.
    public var keepsOutliers: Set<String>
    /// Writes the request's target from the run as `RunState` shows it, telling the share written as it goes;
    /// returns what to tell the user (first line: the summary for the status bar).
    public var write: @Sendable (ExportRequest, RunState, _ progress: @escaping @Sendable (Double) -> Void) throws -> String

    public init(targets: [ExportChoice], outlierHandling: [ExportChoice] = [], keepsOutliers: Set<String> = [],
                write: @escaping @Sendable (ExportRequest, RunState, _ progress: @escaping @Sendable (Double) -> Void) throws -> String) {
        self.targets = targets
        self.outlierHandling = outlierHandling
        self.keepsOutliers = keepsOutliers
        self.write = write
    }

    /// No export (tests, tools that only watch a run).
    public static let none = Exports(targets: []) { _, _, _ in "export is not available here" }

    /// The picker's starting state for these targets.
    var view: ExportView { ExportView(targets: targets, outlierHandling: outlierHandling, keepsOutliers: keepsOutliers) }
}

/// One export on a thread of its own, so the screen keeps drawing while a large checkpoint is written; the UI
/// loop polls it each frame.
final class BackgroundExport: @unchecked Sendable {
    private let lock = NSLock()
    private var fraction = 0.0
    private var result: Result<String, any Error>? = nil
    private let done = DispatchSemaphore(value: 0)

    init(_ request: ExportRequest, run: RunState, exports: Exports) {
        let thread = Thread { [self] in
            let outcome = Result { try exports.write(request, run) { f in self.lock.withLock { self.fraction = f } } }
            lock.withLock { result = outcome }
            done.signal()
        }
        thread.name = "quantbench-export"
        thread.start()
    }

    /// The share written so far and, once it ended, the outcome.
    func poll() -> (fraction: Double, result: Result<String, any Error>?) {
        lock.withLock { (fraction, result) }
    }

    /// Blocks until the export has ended (leaving the workbench never abandons a half-written folder).
    func wait() {
        done.wait()
        done.signal()
    }
}
