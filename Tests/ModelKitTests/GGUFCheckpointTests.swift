import Foundation
import Testing
@testable import ModelKit

/// How `Checkpoint` finds and refuses GGUF files (the SmolLM2 suite covers a real llama file).
@Suite("GGUF checkpoints")
struct GGUFCheckpointTests {
    /// A temporary folder holding copies of the block fixture under `names`.
    private func folder(with names: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qb-gguf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in names { try FileManager.default.copyItem(at: try GGUFFixture.url("blocks.gguf"), to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func aGGUFPathOrAFolderWithOneIsReadAsGGUFAndItsArchitectureChecked() throws {
        let dir = try folder(with: ["model.gguf"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("model.gguf")
        for path in [file, dir] {
            #expect(throws: GGUFError.unsupportedArchitecture(file: file.path, architecture: "fixture")) { try Checkpoint(directory: path) }
        }
        #expect("\(GGUFError.unsupportedArchitecture(file: file.path, architecture: "fixture"))".contains("'fixture' is not supported"))
    }

    @Test func aFolderWithSeveralGGUFFilesAsksWhichOne() throws {
        let dir = try folder(with: ["a.gguf", "b.gguf"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: CheckpointError.severalGGUFFiles(directory: dir.path, files: ["a.gguf", "b.gguf"])) { try Checkpoint(directory: dir) }
    }

    @Test func knownModelsAreFoundByNameAndOtherArgumentsArePaths() {
        #expect(KnownModel.named("SmolLM2") == .smolLM2 && KnownModel.named("smollm2-135m-instruct") == .smolLM2)
        #expect(KnownModel.location(of: nil) == KnownModel.miniLM.directory && KnownModel.location(of: "demo") == KnownModel.miniLM.directory)
        #expect(KnownModel.location(of: "smollm2") == KnownModel.smolLM2.directory)
        #expect(KnownModel.location(of: "/models/x").path == "/models/x")
        #expect(KnownModel.installHint(for: "smollm2").contains("make demo-lm") && KnownModel.installHint(for: "/models/x").isEmpty)
    }
}
