import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// Files written by the reference Python library (`Fixtures/safetensors/make_fixtures.py`).
@Suite("Safetensors reference fixtures")
struct SafetensorsReferenceFixtureTests {
    private static func fixture(_ path: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("safetensors").appendingPathComponent(path)
    }

    /// The same tensors `make_fixtures.py` saves with `safetensors.numpy.save_file`.
    private static func referenceWriter() throws -> SafetensorsWriter {
        var writer = SafetensorsWriter(metadata: ["format": "np"])
        try writer.add("w.f32", shape: [2, 3], data: .f32([1.5, -2.25, 3e-8, 65504, -0.0, 7]))
        try writer.add("w.f64", shape: [2], data: .f64([.pi, -1e300]))
        try writer.add("w.f16", shape: [4], data: .f16([0.5, -65504, 0.1, 1e-4]))
        try writer.add("ids.i64", shape: [1, 3], data: .i64([0, 1, 2]))
        try writer.add("codes.i32", shape: [3], data: .i32([-7, 0, Int32.max]))
        try writer.add("codes.u8", shape: [5], data: .u8([0, 1, 128, 254, 255]))
        try writer.add("codes.i8", shape: [3], data: .i8([-128, -1, 127]))
        try writer.add("scalar", shape: [], data: .f32([3]))
        return writer
    }

    @Test func readsTheReferenceFile() throws {
        let file = try SafetensorsFile(url: Self.fixture("reference.safetensors"))
        #expect(file.metadata == ["format": "np"])
        #expect(file.tensors.map(\.name) == ["ids.i64", "w.f64", "scalar", "w.f32", "codes.i32", "w.f16", "codes.i8", "codes.u8"])
        #expect(try file.matrix("w.f32") == Matrix(rows: 2, cols: 3, storage: [1.5, -2.25, 3e-8, 65504, -0.0, 7]))
        #expect(try file.doubles("w.f64") == [.pi, -1e300])
        #expect(try file.floats("w.f16") == [0.5, -65504, Float(Float16(0.1)), Float(Float16(1e-4))])
        #expect(try file.floats("scalar") == [3] && file.tensors.first { $0.name == "scalar" }?.shape == [])
        #expect(try file.bytes("codes.i8").map { Int8(bitPattern: $0) } == [-128, -1, 127])
    }

    @Test func writerReproducesTheReferenceBytes() throws {
        let reference = try [UInt8](Data(contentsOf: Self.fixture("reference.safetensors")))
        #expect(try Self.referenceWriter().encoded() == reference)
    }

    @Test func opensTheReferenceShardedLlama() throws {
        let checkpoint = try Checkpoint(directory: Self.fixture("tiny-llama-sharded"))
        #expect(checkpoint.isSharded && checkpoint.fileURLs.count == 2)
        guard case let .llama(config) = checkpoint.config else { Issue.record("expected llama"); return }
        #expect(config.kvHeadCount == 1 && config.headDim == 2 && config.tieWordEmbeddings)
        #expect(checkpoint.linearLayers.map(\.shape) == [[4, 4], [2, 4], [2, 4], [4, 4], [6, 4], [6, 4], [4, 6]])

        let expectedData = try Data(contentsOf: Self.fixture("tiny-llama-expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: [Double]])
        #expect(Set(expected.keys) == Set(checkpoint.tensors.map(\.name)))
        for (name, values) in expected {
            #expect(try checkpoint.floats(name) == values.map { Float($0) }, "tensor \(name)")
        }
        let down = try checkpoint.loadLinearWeight("0.mlp.down_proj")
        #expect(try checkpoint.info("model.layers.0.mlp.down_proj.weight").dtype == .f16)
        #expect(down.shape == [4, 6] && down.storage == expected["model.layers.0.mlp.down_proj.weight"]?.map { Float($0) })
    }
}
