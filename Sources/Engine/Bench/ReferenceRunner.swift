import Foundation
import QuantCore

/// Runs the numpy reference ports (scripts/bench_reference.py) on the benchmark's own problems.
struct ReferenceRunner {
    /// One reference timing.
    struct Timing: Codable {
        var seconds: Double
        var rel_err: Double?
        var extrapolated_from_sweeps: [Int]?
    }

    let script: URL
    let folder: URL

    init(script: URL) throws {
        self.script = script
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes a problem as W.npy (float32) and S.npy (float64); returns its folder.
    func write(_ problem: LayerProblem<Float>, id: String) throws -> URL {
        let dir = folder.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try NpyWriter.write(problem.weights.storage, shape: problem.weights.shape, to: dir.appendingPathComponent("W.npy"))
        try NpyWriter.write(problem.hessian.storage, shape: problem.hessian.shape, to: dir.appendingPathComponent("S.npy"))
        return dir
    }

    /// Runs `jobs` (one JSON object each) through the script; returns one timing per job.
    func run(_ jobs: [[String: Any]]) throws -> [Timing] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: jobs))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("the reference script \(script.path) exited with status \(process.terminationStatus)")
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Timing.self, from: Data($0.utf8))
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}
