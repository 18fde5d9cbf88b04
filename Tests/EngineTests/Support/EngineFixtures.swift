import Foundation
@testable import ModelKit

/// The tiny random checkpoints that `scripts/make-tiny-models.py` writes for the ModelKit tests, read in
/// place from the source tree (one committed copy serves both test targets).
enum EngineFixtures {
    static let modelsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelKitTests/Fixtures/models", isDirectory: true)

    /// A tiny checkpoint by name (`tiny-llama`, `tiny-opt`, …) as a forward-pass model.
    static func tiny(_ name: String) throws -> TransformerModel {
        try TransformerModel(checkpoint: try Checkpoint(directory: modelsFolder.appendingPathComponent(name)))
    }
}

/// A fresh temporary folder for one test, removed when the value is released.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("engine-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The URL of `name` inside the folder.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}
