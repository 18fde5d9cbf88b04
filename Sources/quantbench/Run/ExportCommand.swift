import ArgumentParser
import Engine
import Foundation
import ModelKit
import Reports

/// `quantbench export RUN_DIR --format F --out DIR`: the run's layers as a checkpoint other tools load.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's quantized layers as a checkpoint other tools load (\(CheckpointFormat.names)).",
        discussion: CheckpointFormat.allCases.map { "\($0.rawValue): \($0.loaders)" }.joined(separator: "\n"))

    @Argument(help: "A run folder.")
    var runDir: String
    @Option(help: "The checkpoint format: \(CheckpointFormat.names).")
    var format: String
    @Option(help: "The folder to write (for gguf, the .gguf file).")
    var out: String
    @Option(help: "The checkpoint the layers apply to (default: the one the run recorded).")
    var model: String?
    @Option(help: ArgumentHelp("Layers with outliers: \(OutlierHandling.names).",
                               discussion: OutlierHandling.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ")))
    var outliers = OutlierHandling.refuse.rawValue
    @Option(help: "Largest safetensors shard, in MB (a larger tensor gets a shard of its own).")
    var shardMB = ExportOptions.defaultShardBytes >> 20
    @Flag(help: "Replace the output if it exists.")
    var replace = false
    @Flag(help: "Apply the run's layers even to a checkpoint other than the one they were solved on.")
    var anyCheckpoint = false

    func validate() throws {
        guard CheckpointFormat(rawValue: format) != nil else { throw ValidationError("--format must be one of \(CheckpointFormat.names)") }
        guard OutlierHandling(rawValue: outliers) != nil else { throw ValidationError("--outliers must be one of \(OutlierHandling.names)") }
        guard shardMB > 0 else { throw ValidationError("--shard-mb must be at least 1") }
    }

    func run() throws {
        let options = ExportOptions(format: CheckpointFormat(rawValue: format)!, outliers: OutlierHandling(rawValue: outliers)!,
                                    shardBytes: shardMB << 20, replace: replace)
        let progress = TerminalProgress()
        let result = try CheckpointExport.export(
            run: URL(fileURLWithPath: runDir), model: model.map { KnownModel.location(of: $0) }, anyCheckpoint: anyCheckpoint,
            out: URL(fileURLWithPath: out), options: options) { done, total in
            progress.bar(done: done, total: total, count: "\(done >> 20)/\(total >> 20) MB", detail: "writing")
        }
        progress.finish()
        for note in result.notes { progress.note(note) }
        print(result.summary)
        print(result.out.path)
    }
}
