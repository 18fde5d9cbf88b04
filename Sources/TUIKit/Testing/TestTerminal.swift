import Foundation

/// A terminal in memory for tests: a script of inputs, each sent once its condition holds on the screen
/// drawn so far, and every drawn run applied to a grid of cells that tests read back.
///
/// ```swift
/// let terminal = TestTerminal(size: Size(width: 120, height: 40), script: [
///     ({ $0.text.contains("completed") }, .key(.char("q"))),
/// ])
/// ```
public final class TestTerminal: TerminalBackend {
    /// One step of the script: wait until `until` holds on the screen, then deliver `input`.
    public typealias Step = (until: (CellBuffer) -> Bool, input: Input)

    public private(set) var size: Size
    /// The screen as drawn so far.
    public private(set) var screen: CellBuffer
    /// The steps not delivered yet.
    public private(set) var script: [Step]
    /// Frames drawn.
    public private(set) var frames = 0
    public private(set) var terminationRequested = false
    /// How long one step may wait for its condition before the terminal asks the loop to end (so a test
    /// that never sees its screen fails instead of hanging).
    public let stepLimit: TimeInterval
    private var deadline: Date

    public init(size: Size, script: [Step], stepLimit: TimeInterval = 120) {
        self.size = size
        screen = CellBuffer(size: size)
        self.script = script
        self.stepLimit = stepLimit
        deadline = Date().addingTimeInterval(stepLimit)
    }

    /// The next scripted input once its condition holds; until then waits out the frame's timeout as a
    /// real terminal would. With the script done, asks the loop to end.
    public func nextInput(timeoutMs: Int) -> Input? {
        guard let next = script.first else { terminationRequested = true; return nil }
        guard next.until(screen) else {
            if Date() > deadline { terminationRequested = true }
            Thread.sleep(forTimeInterval: Double(timeoutMs) / 1000)
            return nil
        }
        script.removeFirst()
        deadline = Date().addingTimeInterval(stepLimit)
        if case let .resize(s) = next.input { size = s }
        return next.input
    }

    public func draw(_ runs: [DrawRun]) {
        frames += 1
        if screen.size != size { screen = CellBuffer(size: size) }
        for r in runs {
            var x = r.x
            for ch in r.text {
                screen.set(x, r.y, Cell(String(ch), style: r.style))
                if CharWidth.of(ch) == 2 { screen.set(x + 1, r.y, Cell("", style: r.style)) }
                x += CharWidth.of(ch)
            }
        }
    }
}
