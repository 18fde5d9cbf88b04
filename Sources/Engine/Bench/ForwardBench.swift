import Foundation
import ModelKit
import QuantCore

/// The calibration forward's speed: seeded random windows embedded in batches, then every block run on all of them with
/// Σ = XᵀX accumulated for each of its linears' inputs (what a quantization run does before it solves),
/// against transformers' plain forward of the same model on torch CPU, run by a Python script in the same run.
public enum ForwardBench {
    /// One measurement.
    public struct Report: Codable, Sendable {
        public var model: String
        public var windows: Int
        public var length: Int
        /// quantbench's calibration forward (Σ included).
        public var tokensPerSecond: Double
        public var seconds: Double
        /// transformers' forward (no Σ), or nil without the script.
        public var transformersTokensPerSecond: Double?
        public var transformers: String?
        /// quantbench's tokens/s over transformers'.
        public var ratio: Double?
        /// Peak resident memory of this process, bytes.
        public var peakResidentBytes: Int
    }

    /// Times `windows` windows of `length` tokens through `checkpoint`; `python` + `script` (with `bench` and
    /// `--model`) give the transformers side, which prints one JSON object with `tokens_per_second`.
    public static func run(checkpoint url: URL, windows: Int, length: Int, python: String?, script: URL?,
                           note: (String) -> Void) throws -> Report {
        let model = try TransformerModel(checkpoint: try Checkpoint(directory: url))
        var generator = SeededGenerator(seed: 0)
        let vocabulary = model.checkpoint.config.vocabSize
        let ids = (0..<windows).map { _ in (0..<length).map { _ in Int(generator.next() % UInt64(vocabulary)) } }
        let method = LayerMethod.rtn(try GridOptions(bits: 4))  // never solved: only the calibration pass runs
        let pipeline = QuantizationPipeline(model: model, windows: ids, options: PipelineOptions()) { _ in method }
        note("quantbench: \(windows) windows × \(length) tokens through \(model.blockCount) blocks with Σ…")
        let start = Date()
        var hidden = try CalibrationBatch.batches(of: ids, model: model)
        for block in 0..<model.blockCount {
            let layers = Set(model.linearLayers.filter { $0.block == block }.map(\.name))
            let groups = try pipeline.inputGroups(block, hidden[0])
            hidden = try pipeline.collect(block, hidden, layers: layers, groups: groups, keepOutputs: true) { _ in }?.1 ?? []
            model.releaseBlock(block)
        }
        let seconds = Date().timeIntervalSince(start)
        var report = Report(model: model.checkpoint.directory.lastPathComponent, windows: windows, length: length,
                            tokensPerSecond: Double(windows * length) / seconds, seconds: seconds, peakResidentBytes: peakResidentBytes())
        if let python, let script {
            note("transformers: the same shape through \(script.lastPathComponent)…")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, script.path, "bench", "--model", model.checkpoint.fileURLs[0].path,
                                 "--windows", "\(windows)", "--length", "\(length)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                  let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
                  let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let speed = json["tokens_per_second"] as? Double
            else { throw BenchError("\(script.lastPathComponent) failed (exit \(process.terminationStatus))") }
            report.transformersTokensPerSecond = speed
            report.transformers = "torch \(json["torch"] ?? "?"), \(json["threads"] ?? "?") threads"
            report.ratio = report.tokensPerSecond / speed
        }
        return report
    }

    /// `VmHWM` of /proc/self/status, in bytes (0 where it cannot be read).
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
}
