import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The progress gauge keeps one bar width in every phase, so the text after it never moves, and stays a
/// readable bar on a small terminal (the label is cut with `…` instead).
@Suite("Progress gauge") struct ProgressGaugeTests {
    /// Each phase as the main screen sees it: the loading step, a calibration pass, a solve, the end.
    static func phases() -> [(name: String, state: (inout AppState) -> Void, run: RunState)] {
        var calibrating = RunState()
        calibrating.apply(.runStarted(Fixtures.info))
        calibrating.apply(.calibrating(CalibrationProgress(block: 2, pass: 3, passes: 4, done: 16, total: 64)))
        var done = Fixtures.run(done: 36)
        done.apply(.runFinished(.completed))
        return [
            ("loading", { $0.loading = LoadingProgress(done: 3, total: 4, step: "cutting calibration windows") }, RunState()),
            ("calibrating", { _ in }, calibrating),
            ("solving", { _ in }, Fixtures.run()),
            ("done", { _ in }, done),
        ]
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func oneBarWidthInEveryPhase(size: Size) {
        var lines: [String] = []
        for phase in Self.phases() {
            var s = Fixtures.app(size)
            phase.state(&s)
            let line = App.render(s, run: phase.run, size: size).lines[1]
            lines.append(phase.name.padding(toLength: 12, withPad: " ", startingAt: 0) + "|" + line + "|")
            let bar = line.dropFirst().prefix { $0 == "█" || $0 == "░" }
            #expect(bar.count == MainScreen.gaugeWidth(size.width), "\(phase.name): \(line)")
            #expect(bar.count >= 10)
            #expect(line.dropFirst(1 + bar.count).first == " ", "the label starts one column after the bar")
        }
        assertSnapshot(lines.joined(separator: "\n") + "\n", named: "progress-phases-\(size.width)x\(size.height)")
    }

    @Test func aLongLabelIsCutNotTheBar() {
        var b = CellBuffer(size: Size(width: 30, height: 1))
        Gauge(fraction: 0.5, label: "calibrating block 2, pass 3/4: 16/64", barWidth: 10).draw(in: b.bounds, on: &b, palette: Fixtures.app().palette)
        #expect(b.lines == ["█████░░░░░ calibrating block …"])
    }
}
