import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// True when the demo model has been fetched (`scripts/fetch-demo-model.sh`).
private let demoModelPresent = FileManager.default.fileExists(
    atPath: KnownModel.miniLM.directory.appendingPathComponent(Checkpoint.singleFileName).path)

@Suite("Demo model")
struct DemoModelTests {
    @Test func directoryFollowsQuantbenchHomeThenXDGThenHome() {
        let home = URL(fileURLWithPath: "/home/u", isDirectory: true)
        #expect(KnownModel.miniLM.directory(environment: ["QUANTBENCH_HOME": "/data/qb", "XDG_CACHE_HOME": "/x"], home: home).path
            == "/data/qb/models/all-MiniLM-L6-v2")
        #expect(KnownModel.miniLM.directory(environment: ["XDG_CACHE_HOME": "/x/cache"], home: home).path
            == "/x/cache/quantbench/models/all-MiniLM-L6-v2")
        #expect(KnownModel.miniLM.directory(environment: ["QUANTBENCH_HOME": ""], home: home).path
            == "/home/u/.cache/quantbench/models/all-MiniLM-L6-v2")
    }

    @Test(.enabled(if: demoModelPresent, "demo model absent: run scripts/fetch-demo-model.sh to enable this test"))
    func miniLMHas36LinearsWithTheirShapes() throws {
        let checkpoint = try Checkpoint(directory: KnownModel.miniLM.directory)
        guard case let .bert(config) = checkpoint.config else {
            Issue.record("expected a bert config, got \(checkpoint.config.modelType)")
            return
        }
        #expect(config.hiddenSize == 384 && config.layerCount == 6 && config.intermediateSize == 1536)
        #expect(try SafetensorsFile(url: checkpoint.fileURLs[0]).metadata == ["format": "pt"])
        #expect(checkpoint.tensors.count == 104)
        #expect(try checkpoint.info("embeddings.position_ids").dtype == .i64)
        #expect(checkpoint.layout.prefix == "")

        let layers = checkpoint.linearLayers
        #expect(layers.count == 36)
        let perBlock: [(String, [Int])] = [
            ("attention.self.query", [384, 384]), ("attention.self.key", [384, 384]), ("attention.self.value", [384, 384]),
            ("attention.output.dense", [384, 384]), ("intermediate.dense", [1536, 384]), ("output.dense", [384, 1536]),
        ]
        let expected = (0..<6).flatMap { block in perBlock.map { ("\(block).\($0.0)", $0.1) } }
        #expect(layers.map(\.name) == expected.map(\.0))
        #expect(layers.map(\.shape) == expected.map(\.1))
        #expect(layers.allSatisfy { $0.biasName != nil && !$0.storedTransposed })

        let w = try checkpoint.loadLinearWeight("5.output.dense")
        #expect(w.shape == [384, 1536] && w.allFinite)
        #expect(throws: SafetensorsError.notFloatingPoint(file: checkpoint.fileURLs[0].path, tensor: "embeddings.position_ids", dtype: .i64)) {
            try checkpoint.floats("embeddings.position_ids")
        }
    }
}
