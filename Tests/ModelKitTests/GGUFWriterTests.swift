import Foundation
import Testing
@testable import ModelKit

/// The content of `Fixtures/gguf-writer/writer.gguf` and `writer-align64.gguf`, built from the same formulas
/// as `scripts/fixtures/gguf-blocks.py` builds them with the `gguf` package.
enum GGUFWriterFixture {
    static let metadata: [(String, GGUFValue)] = [
        ("general.name", .string("tiny wörld ✓")),
        ("llama.block_count", .uint32(2)),
        ("llama.rope.freq_base", .float32(10000)),
        ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ("tokenizer.ggml.add_bos_token", .bool(true)),
        ("tokenizer.ggml.add_eos_token", .bool(false)),
        ("tokenizer.ggml.tokens", .array(.string, ["<s>", "</s>", "hello", "wörld", ""].map { .string($0) })),
        ("tokenizer.ggml.token_type", .array(.int32, [3, 3, 1, 1, -2].map { .int32($0) })),
        ("tokenizer.ggml.scores", .array(.float32, [0, -1.5, -2.25, 3e-3, -0.0].map { .float32($0) })),
        ("test.u8", .uint8(255)),
        ("test.i8", .int8(-128)),
        ("test.u16", .uint16(65535)),
        ("test.i16", .int16(-32768)),
        ("test.i32", .int32(.min)),
        ("test.u64", .uint64(.max)),
        ("test.i64", .int64(.min)),
        ("test.f64", .float64(-0.1)),
        ("test.u8s", .array(.uint8, [0, 1, 254, 255].map { .uint8($0) })),
        ("test.u64s", .array(.uint64, [0, 1 << 40, .max].map { .uint64($0) })),
        ("test.f64s", .array(.float64, [1.0, -2.5e-300].map { .float64($0) })),
        ("test.bools", .array(.bool, [true, false, true].map { .bool($0) })),
    ]

    /// `f32.cube` row-major [2, 3, 4].
    static let cube = (0..<24).map { Float($0 - 12) * 0.375 }
    /// `f16.vector` [10].
    static let vector = (0..<10).map { Float16(Float($0) * 0.5 - 2.25) }

    /// A quantized matrix: its type, row-major shape, codes and per-block d.
    struct Matrix {
        let name: String, type: GGMLType, rows: Int, columns: Int
        let codes: [UInt8], d: [Float]

        /// What the codes stand for, row-major.
        var values: [Float] {
            codes.enumerated().map { d[$0 / 32] * Float(Int($1) - GGMLBlockEncoding.zeroCode(type)!) }
        }

        func bytes() throws -> [UInt8] { try GGMLBlockEncoding.encode(type, codes: codes, rows: rows, columns: columns, d: d) }
    }

    static func matrix(_ type: GGMLType, rows: Int, columns: Int, d: [Float], code: (Int, Int) -> Int) -> Matrix {
        let codes = (0..<rows).flatMap { r in (0..<columns).map { c in UInt8(code(r, c)) } }
        return Matrix(name: "\(type.name.lowercased()).matrix", type: type, rows: rows, columns: columns, codes: codes, d: d)
    }

    static let q4 = matrix(.q4_0, rows: 2, columns: 64, d: [0.5, 0.25, 0.125, 1.0]) { r, c in (c * 5 + r * 3) % 16 }
    static let q8 = matrix(.q8_0, rows: 3, columns: 32, d: [0.5, 0.25, 2.0]) { r, c in c == 0 ? 1 : 1 + (c * 37 + r * 11) % 255 }

    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.littleEndian, Array.init) }
    }

    /// The writer holding the fixture's content, with `general.alignment` when `alignment` is given.
    static func writer(alignment: UInt32? = nil) throws -> GGUFWriter {
        var writer = GGUFWriter()
        try writer.add("general.architecture", .string("llama"))
        if let alignment { try writer.add("general.alignment", .uint32(alignment)) }
        for (key, value) in metadata { try writer.add(key, value) }
        try writer.addTensor("f32.cube", dimensions: [4, 3, 2], type: .f32, bytes: littleEndian(cube.map(\.bitPattern)))
        try writer.addTensor("f16.vector", dimensions: [10], type: .f16, bytes: littleEndian(vector.map(\.bitPattern)))
        for m in [q4, q8] { try writer.addTensor(m.name, dimensions: [m.columns, m.rows], type: m.type, bytes: m.bytes) }
        return writer
    }

    static func reference(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: ForwardFixtures.folder("gguf-writer/\(name)")))
    }
}

@Suite("GGUF writer")
struct GGUFWriterTests {
    @Test(arguments: [(nil, "writer.gguf"), (64, "writer-align64.gguf")] as [(UInt32?, String)])
    func writesTheGGUFPackagesBytes(alignment: UInt32?, fixture: String) throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("out.gguf")
        try GGUFWriterFixture.writer(alignment: alignment).write(to: url)
        let bytes = try [UInt8](Data(contentsOf: url)), reference = try GGUFWriterFixture.reference(fixture)
        if let i = zip(bytes, reference).enumerated().first(where: { $1.0 != $1.1 })?.offset {
            Issue.record("\(fixture): byte \(i) is \(bytes[i]), gguf writes \(reference[i])")
        }
        #expect(bytes.count == reference.count)
    }

    @Test(arguments: [nil, 64] as [UInt32?])
    func readsBackWhatItWrites(alignment: UInt32?) throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("out.gguf")
        let writer = try GGUFWriterFixture.writer(alignment: alignment)
        try writer.write(to: url)
        let file = try GGUFFile(url: url)
        #expect(file.version == 3)
        #expect(file.alignment == Int(alignment ?? 32) && writer.alignment == file.alignment)
        #expect(file.entries.map(\.key) == writer.entries.map(\.key))
        #expect(file.entries.map(\.value) == writer.entries.map(\.value))
        #expect(file.tensors.map(\.name) == writer.tensorNames)
        #expect(file.tensors.map(\.dimensions) == [[4, 3, 2], [10], [64, 2], [32, 3]])
        #expect(file.tensors.map(\.type) == [.f32, .f16, .q4_0, .q8_0])
        #expect(file.tensors.allSatisfy { $0.offset % file.alignment == 0 })
        #expect(try file.floats("f32.cube") == GGUFWriterFixture.cube)
        #expect(try file.floats("f16.vector") == GGUFWriterFixture.vector.map(Float.init))
        for m in [GGUFWriterFixture.q4, GGUFWriterFixture.q8] {
            #expect(try file.info(m.name).shape == [m.rows, m.columns])
            #expect(try file.floats(m.name) == m.values, "\(m.name)")
            #expect(try file.bytes(m.name) == m.bytes())
        }
    }

    /// An empty array keeps its element type; a file with no tensors ends after the padded header.
    @Test func writesEmptyArraysAndFilesWithoutTensors() throws {
        let scratch = try CheckpointScratch()
        var writer = GGUFWriter()
        try writer.add("tokenizer.ggml.merges", .array(.string, []))
        try writer.write(to: scratch.file("empty.gguf"))
        let file = try GGUFFile(url: scratch.file("empty.gguf"))
        #expect(file.entries.map(\.value) == [.array(.string, [])] && file.tensors.isEmpty)
        let size = try FileManager.default.attributesOfItem(atPath: scratch.file("empty.gguf").path)[.size] as? Int
        #expect(size == 96)
    }

    /// A closure's bytes are produced at write time, once, in file order.
    @Test func producesStreamedTensorsWhileWriting() throws {
        let scratch = try CheckpointScratch()
        final class Log { var calls: [String] = [] }
        let log = Log()
        var writer = GGUFWriter()
        for (name, value) in [("a", Float(1)), ("b", 2)] {
            try writer.addTensor(name, dimensions: [3], type: .f32) {
                log.calls.append(name)
                return GGUFWriterFixture.littleEndian(Array(repeating: value.bitPattern, count: 3))
            }
        }
        #expect(log.calls.isEmpty)
        try writer.write(to: scratch.file("s.gguf"))
        #expect(log.calls == ["a", "b"])
        let file = try GGUFFile(url: scratch.file("s.gguf"))
        #expect(try file.floats("a") == [1, 1, 1] && file.floats("b") == [2, 2, 2])
        #expect(try file.info("b").offset == 32)
    }

    /// A failing or wrong-sized stream leaves the destination as it was and no temporary file behind.
    @Test func aFailedStreamLeavesNoFile() throws {
        struct Unreadable: Error, CustomStringConvertible { var description: String { "shard 2 is gone" } }
        let scratch = try CheckpointScratch()
        var failing = GGUFWriter(), short = GGUFWriter()
        try failing.addTensor("w", dimensions: [32, 2], type: .q8_0) { throw Unreadable() }
        try short.addTensor("w", dimensions: [32, 2], type: .q8_0) { [UInt8](repeating: 0, count: 34) }
        #expect(throws: GGUFWriteError.tensorSourceFailed(tensor: "w", reason: "shard 2 is gone")) {
            try failing.write(to: scratch.file("m.gguf"))
        }
        #expect(throws: GGUFWriteError.sizeMismatch(tensor: "w", expectedBytes: 68, actualBytes: 34)) {
            try short.write(to: scratch.file("m.gguf"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }

    @Test func refusesADuplicateTensorName() throws {
        var writer = GGUFWriter()
        try writer.addTensor("blk.0.attn_q.weight", dimensions: [4], type: .f32, bytes: Array(repeating: 0, count: 16))
        #expect(throws: GGUFWriteError.duplicateTensor(tensor: "blk.0.attn_q.weight")) {
            try writer.addTensor("blk.0.attn_q.weight", dimensions: [2], type: .f32) { [] }
        }
        #expect(writer.tensorNames == ["blk.0.attn_q.weight"])
    }

    @Test func refusesBytesOfTheWrongSize() {
        var writer = GGUFWriter()
        #expect(throws: GGUFWriteError.sizeMismatch(tensor: "w", expectedBytes: 36, actualBytes: 34)) {
            try writer.addTensor("w", dimensions: [64, 1], type: .q4_0, bytes: Array(repeating: 0, count: 34))
        }
    }

    @Test func refusesNamesAndDimensionsLlamaCppCannotRead() {
        var writer = GGUFWriter()
        let cases: [(String, [Int], GGMLType)] = [
            ("", [4], .f32), (String(repeating: "n", count: 64), [4], .f32),
            ("w", [], .f32), ("w", [1, 1, 1, 1, 1], .f32), ("w", [4, 0], .f32), ("w", [48, 2], .q4_0),
            ("w", [Int.max / 2, 4], .f32),
        ]
        for (name, dimensions, type) in cases {
            let error = #expect(throws: GGUFWriteError.self) { try writer.addTensor(name, dimensions: dimensions, type: type) { [] } }
            guard case .invalidTensor(name, _)? = error else {
                Issue.record("\(name.prefix(8)) \(dimensions): \(String(describing: error))")
                continue
            }
        }
        #expect(throws: Never.self) { try writer.addTensor(String(repeating: "n", count: 63), dimensions: [1, 1, 1, 1], type: .f32, bytes: [0, 0, 0, 0]) }
    }

    @Test func refusesMetadataTheFormatCannotHold() throws {
        var writer = GGUFWriter()
        try writer.add("general.architecture", .string("llama"))
        #expect(throws: GGUFWriteError.duplicateKey(key: "general.architecture")) { try writer.add("general.architecture", .string("gpt2")) }
        let bad: [(String, GGUFValue)] = [
            ("", .bool(true)),
            ("mixed", .array(.int32, [.int32(1), .uint32(2)])),
            ("nested", .array(.array, [.array(.int32, [])])),
            ("general.alignment", .uint64(32)),
            ("general.alignment", .uint32(48)),
            ("general.alignment", .uint32(0)),
        ]
        for (key, value) in bad {
            let error = #expect(throws: GGUFWriteError.self) { try writer.add(key, value) }
            guard case .invalidValue(key, _)? = error else {
                Issue.record("\(key): \(String(describing: error))")
                continue
            }
        }
        #expect(writer.entries.count == 1 && writer.alignment == 32)
    }
}
