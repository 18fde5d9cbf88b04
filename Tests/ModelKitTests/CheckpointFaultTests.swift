import Foundation
import Testing
@testable import ModelKit

/// Model folders whose files are not what they seem, and files that change under a reader: every case
/// ends in an error that names the file and the fault, never a hang or a signal.
@Suite("Checkpoint faults") struct CheckpointFaultTests {
    /// A copy of a committed tiny checkpoint in a scratch folder, to break.
    private static func copy(_ name: String) throws -> CheckpointScratch {
        let scratch = try CheckpointScratch()
        let source = try ForwardFixtures.folder("models/\(name)")
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: scratch.file(file))
        }
        return scratch
    }

    @Test(.timeLimit(.minutes(1))) func aFIFOConfigIsRefusedWithoutWaiting() throws {
        let scratch = try Self.copy("tiny-llama")
        try FileManager.default.removeItem(at: scratch.file("config.json"))
        #expect(mkfifo(scratch.file("config.json").path, 0o600) == 0)
        #expect(throws: ModelConfigError.cannotRead(file: scratch.file("config.json").path, reason: "not a regular file (a FIFO)")) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test func aConfigLinkLoopIsNamedNotCalledMissing() throws {
        let scratch = try Self.copy("tiny-llama")
        let config = scratch.file("config.json")
        try FileManager.default.removeItem(at: config)
        try FileManager.default.createSymbolicLink(atPath: config.path, withDestinationPath: config.path)
        #expect(throws: ModelConfigError.cannotRead(file: config.path, reason: "a symbolic link loop")) {
            try Checkpoint(directory: scratch.url)
        }
    }

    @Test(arguments: ["../model.safetensors", "/etc/passwd", "sub/model.safetensors", ".."])
    func aShardIndexCannotPointOutsideTheFolder(shard: String) throws {
        let scratch = try Self.copy("tiny-llama")
        try scratch.write(text: #"{"weight_map": {"model.embed_tokens.weight": "\#(shard)"}}"#, to: Checkpoint.indexFileName)
        let error = try #require(throws: CheckpointError.self) { try Checkpoint(directory: scratch.url) }
        guard case let .invalidIndex(file, reason) = error else { Issue.record("\(error)"); return }
        #expect(file == scratch.file(Checkpoint.indexFileName).path)
        #expect(reason.contains("'\(shard)'") && reason.contains("is a path"), "\(reason)")
    }

    /// Another process truncates the weights after the model was built: the next read says so (no SIGBUS).
    @Test func aCheckpointTruncatedAfterOpeningFailsTheNextReadNamingTheFile() throws {
        let scratch = try Self.copy("tiny-llama")
        let model = try TransformerModel(checkpoint: try Checkpoint(directory: scratch.url))
        let weights = scratch.file("model.safetensors")
        #expect(truncate(weights.path, 64) == 0)
        let error = try #require(throws: ForwardError.self) { try model.forward([1, 2, 3]) }
        guard case let .unreadableTensor(directory, _, reason) = error else { Issue.record("\(error)"); return }
        #expect(directory == scratch.url.path)
        #expect(reason.contains(weights.path) && reason.contains("changed while it was being read"), "\(reason)")
        #expect(throws: SafetensorsError.self) { try model.checkpoint.loadLinearWeight(model.linearLayers[0].name) }
    }
}
