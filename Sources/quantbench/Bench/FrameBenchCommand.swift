import ArgumentParser
import Foundation
import Workbench

/// `quantbench bench frame`: how long the workbench takes to render a full main screen and to diff it
/// against the previous frame, as JSON.
struct FrameBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame",
        abstract: "Time the workbench's frame render and diff on a full main screen and print JSON.",
        discussion: """
        The screen holds a MiniLM-shaped run (36 layers, 30 sweeps each, every layer's error map, the
        blocks × layers heatmap). Each frame adds a sweep to the running layer, moves the selection and
        switches the heatmap between its two views, so every panel changes. Each phase is timed by the wall
        clock and by the thread's CPU clock (which leaves out time the thread waited for a core on a busy
        machine). Build with -c release.
        """
    )

    @Option(help: "Terminal width.")
    var width = 200
    @Option(help: "Terminal height.")
    var height = 60
    @Option(help: "Frames to time (after 20 warm-up frames).")
    var frames = 300

    func run() throws {
        guard width >= 80, height >= 24, frames > 0 else { throw ValidationError("needs at least 80×24 and one frame") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(try FrameBench.run(width: width, height: height, frames: frames)) + Data("\n".utf8))
    }
}
