import Foundation
import Testing
@testable import ModelKit

/// `Fixtures/gguf-writer/blocks.json`, written by `scripts/fixtures/gguf-blocks.py`: random weights quantized
/// by the `gguf` package, decoded into codes and per-block d and m, with the package's bytes.
struct GGMLBlockFixture: Decodable {
    struct Case: Decodable {
        let type: String
        let codes: [UInt8]
        /// Float bit patterns: the fp16 values the blocks store, and the float32 values before rounding.
        let d: [UInt32], m: [UInt32]?, dUnrounded: [UInt32], mUnrounded: [UInt32]?
        let blocks: Data
    }

    let rows: Int
    let columns: Int
    let cases: [Case]

    static func load() throws -> GGMLBlockFixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: ForwardFixtures.folder("gguf-writer/blocks.json")))
    }

    static func `case`(_ type: GGMLType) throws -> (GGMLBlockFixture, Case) {
        let fixture = try load()
        return (fixture, try #require(fixture.cases.first { $0.type == type.name }, "no \(type.name) case"))
    }
}

private func floats(_ bits: [UInt32]?) -> [Float] { (bits ?? []).map(Float.init(bitPattern:)) }

@Suite("GGML block encoding")
struct GGMLBlockEncodingTests {
    @Test func encodesTheFiveBlockTypes() {
        #expect(GGMLBlockEncoding.types == [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0])
        #expect(GGMLBlockEncoding.types.map { GGMLBlockEncoding.bits($0) } == [4, 4, 5, 5, 8])
        #expect(GGMLBlockEncoding.types.map { GGMLBlockEncoding.zeroCode($0) } == [8, nil, 16, nil, 128])
        #expect(GGMLBlockEncoding.bits(.q4_K) == nil && GGMLBlockEncoding.zeroCode(.f16) == nil)
    }

    /// The codes and the fp16 d and m the package stored give back its bytes exactly.
    @Test(arguments: GGMLBlockEncoding.types)
    func matchesTheGGUFPackage(type: GGMLType) throws {
        let (fixture, c) = try GGMLBlockFixture.case(type)
        let bytes = try GGMLBlockEncoding.encode(type, codes: c.codes, rows: fixture.rows, columns: fixture.columns,
                                                 d: floats(c.d), m: floats(c.m))
        #expect(bytes.count == fixture.rows * fixture.columns / 32 * type.typeSize)
        expectSameBlocks(bytes, c, type)
    }

    /// Records the first byte that differs from the package's, by block and offset inside the block.
    private func expectSameBlocks(_ bytes: [UInt8], _ c: GGMLBlockFixture.Case, _ type: GGMLType) {
        #expect(bytes.count == c.blocks.count)
        if let i = zip(bytes, c.blocks).enumerated().first(where: { $1.0 != $1.1 })?.offset {
            Issue.record("\(type.name): byte \(i) (block \(i / type.typeSize), byte \(i % type.typeSize)) is \(bytes[i]), gguf stores \(c.blocks[i])")
        }
    }

    /// The float32 d and m the package computed, before its rounding to fp16 (subnormals, −0 and a scale that
    /// rounds to 0 among them), round to the same halves here.
    @Test(arguments: GGMLBlockEncoding.types)
    func roundsScalesToHalfAsTheGGUFPackage(type: GGMLType) throws {
        let (fixture, c) = try GGMLBlockFixture.case(type)
        let bytes = try GGMLBlockEncoding.encode(type, codes: c.codes, rows: fixture.rows, columns: fixture.columns,
                                                 d: floats(c.dUnrounded), m: floats(c.mUnrounded))
        expectSameBlocks(bytes, c, type)
        #expect(floats(c.dUnrounded).map { Float(Float16($0)) }.map(\.bitPattern) == c.d)
    }

    /// What the encoder writes, the reader's dequantizer reads back as the values the codes stand for.
    @Test(arguments: GGMLBlockEncoding.types)
    func dequantizesToTheCodesValues(type: GGMLType) throws {
        let (fixture, c) = try GGMLBlockFixture.case(type)
        let d = floats(c.d), m = floats(c.m)
        let bytes = try GGMLBlockEncoding.encode(type, codes: c.codes, rows: fixture.rows, columns: fixture.columns, d: d, m: m)
        let values = [Float](unsafeUninitializedCapacity: c.codes.count) { buffer, count in
            bytes.withUnsafeBytes { type.dequantize($0, into: buffer) }
            count = buffer.count
        }
        for (i, code) in c.codes.enumerated() {
            let block = i / 32
            let want = GGMLBlockEncoding.zeroCode(type).map { d[block] * Float(Int(code) - $0) } ?? d[block] * Float(code) + m[block]
            guard values[i] == want else {
                Issue.record("\(type.name)[\(i)] = \(values[i]), the code \(code) stands for \(want)")
                return
            }
        }
    }

    /// Weight `i` of a block: its low four bits in byte `i % 16` (low nibble for `i < 16`), its fifth bit in
    /// bit `i` of `qh`; d then m as little-endian halves.
    @Test func laysOutAQ5_1BlockAsLlamaCpp() throws {
        let codes = (0..<32).map { UInt8(($0 * 7 + 3) % 32) }
        let bytes = try GGMLBlockEncoding.encode(.q5_1, codes: codes, rows: 1, columns: 32, d: [1.5], m: [-2])
        var qh: UInt32 = 0
        for (i, c) in codes.enumerated() where c >= 16 { qh |= 1 << UInt32(i) }
        let qs = (0..<16).map { codes[$0] & 0x0F | (codes[$0 + 16] & 0x0F) << 4 }
        #expect(bytes == [0x00, 0x3E, 0x00, 0xC0] + withUnsafeBytes(of: qh.littleEndian, Array.init) + qs)
    }

    @Test func q8_0StoresTheCodeLess128AsASignedByte() throws {
        let codes: [UInt8] = [0, 1, 127, 128, 129, 255] + Array(repeating: 128, count: 26)
        let bytes = try GGMLBlockEncoding.encode(.q8_0, codes: codes, rows: 1, columns: 32, d: [-0.0])
        #expect(Array(bytes[0..<8]) == [0x00, 0x80, 0x80, 0x81, 0xFF, 0x00, 0x01, 0x7F])
    }

    @Test func refusesColumnsThatAreNotWholeBlocks() {
        for columns in [48, 0, 31] {
            #expect(throws: GGMLBlockEncodingError.invalidShape(type: .q4_0, rows: 2, columns: columns)) {
                try GGMLBlockEncoding.encode(.q4_0, codes: Array(repeating: 8, count: 2 * columns), rows: 2, columns: columns,
                                             d: Array(repeating: 1, count: 3))
            }
        }
        let error = GGMLBlockEncodingError.invalidShape(type: .q4_0, rows: 2, columns: 48)
        #expect(error.description.contains("multiple of 32"))
    }

    @Test func refusesCodesAboveTheLargest() {
        for (type, largest) in [(GGMLType.q4_0, 15), (.q4_1, 15), (.q5_0, 31), (.q5_1, 31)] {
            var codes = [UInt8](repeating: 0, count: 64)
            codes[45] = UInt8(largest + 1)
            let m: [Float] = GGMLBlockEncoding.zeroCode(type) == nil ? [0, 0] : []
            #expect(throws: GGMLBlockEncodingError.codeOutOfRange(type: type, row: 1, column: 13, code: UInt8(largest + 1), largest: largest)) {
                try GGMLBlockEncoding.encode(type, codes: codes, rows: 2, columns: 32, d: [1, 1], m: m)
            }
            codes[45] = UInt8(largest)
            #expect(throws: Never.self) { try GGMLBlockEncoding.encode(type, codes: codes, rows: 2, columns: 32, d: [1, 1], m: m) }
        }
    }

    @Test func refusesCountsThatDoNotMatchTheShape() {
        let codes = [UInt8](repeating: 1, count: 64)
        #expect(throws: GGMLBlockEncodingError.countMismatch(type: .q5_0, what: "codes", expected: 96, actual: 64)) {
            try GGMLBlockEncoding.encode(.q5_0, codes: codes, rows: 3, columns: 32, d: [1, 1, 1])
        }
        #expect(throws: GGMLBlockEncodingError.countMismatch(type: .q5_0, what: "d", expected: 2, actual: 1)) {
            try GGMLBlockEncoding.encode(.q5_0, codes: codes, rows: 1, columns: 64, d: [1])
        }
        #expect(throws: GGMLBlockEncodingError.countMismatch(type: .q4_1, what: "m", expected: 2, actual: 0)) {
            try GGMLBlockEncoding.encode(.q4_1, codes: codes, rows: 1, columns: 64, d: [1, 1])
        }
        let noMin = GGMLBlockEncodingError.countMismatch(type: .q8_0, what: "m", expected: 0, actual: 2)
        #expect(throws: noMin) { try GGMLBlockEncoding.encode(.q8_0, codes: codes, rows: 1, columns: 64, d: [1, 1], m: [0, 0]) }
        #expect(noMin.description.contains("Q8_0 blocks store no min"))
    }

    @Test func refusesScalesThatAreNotFiniteHalves() {
        let codes = [UInt8](repeating: 8, count: 64)
        for bad in [Float.nan, .infinity, -65_520] {
            let error = #expect(throws: GGMLBlockEncodingError.self) {
                try GGMLBlockEncoding.encode(.q4_1, codes: codes, rows: 2, columns: 32, d: [1, 1], m: [0, bad])
            }
            guard case let .parameterNotRepresentable(.q4_1, "m", 1, 0, value)? = error, value.bitPattern == bad.bitPattern else {
                Issue.record("m = \(bad): \(String(describing: error))")
                continue
            }
        }
        // 65 504 is fp16's largest finite value; 65 519 still rounds to it.
        #expect(throws: Never.self) { try GGMLBlockEncoding.encode(.q4_0, codes: codes, rows: 2, columns: 32, d: [65_504, 65_519]) }
    }

    @Test func refusesOtherTypes() {
        for type in [GGMLType.f16, .q4_K, .q8_1] {
            #expect(throws: GGMLBlockEncodingError.unsupportedType(type)) {
                try GGMLBlockEncoding.encode(type, codes: [UInt8](repeating: 0, count: 256), rows: 1, columns: 256, d: [1])
            }
        }
    }
}
