import Foundation
import Testing
@testable import ModelKit

/// Corrupt copies of `Fixtures/gguf/blocks.gguf`, one field changed each, at the positions gguf's reader
/// reports: every fault is a `GGUFError` whose message names the file and the fault.
@Suite("GGUF reader faults")
struct GGUFFaultTests {
    /// Writes `bytes` to a scratch file and expects opening it to throw `expected(path)`, whose message must
    /// hold the path and every one of `mentions`.
    static func expectFault(_ bytes: [UInt8], mentions: [String], sourceLocation: SourceLocation = #_sourceLocation,
                            _ expected: (String) -> GGUFError) throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(bytes, to: "corrupt.gguf")
        let error = expected(url.path)
        #expect(throws: error, sourceLocation: sourceLocation) { try GGUFFile(url: url) }
        for word in [url.path] + mentions {
            #expect(error.description.contains(word), "'\(error)' does not mention '\(word)'", sourceLocation: sourceLocation)
        }
    }

    @Test func wrongMagicEmptyAndMissingFiles() throws {
        var fixture = try GGUFFixture()
        fixture.set("GGUG", at: 0)
        try Self.expectFault(fixture.bytes, mentions: ["not a GGUF file"]) { .notGGUF(file: $0) }
        try Self.expectFault([], mentions: ["not a GGUF file"]) { .notGGUF(file: $0) }

        let scratch = try CheckpointScratch()
        let missing = scratch.file("missing.gguf")
        #expect(throws: GGUFError.cannotOpen(file: missing.path, reason: "no such file")) {
            try GGUFFile(url: missing)
        }
    }

    @Test(arguments: [0, 1, 4, 0xFFFF])
    func unsupportedVersions(version: UInt32) throws {
        var fixture = try GGUFFixture()
        fixture.set(version, at: 4)
        try Self.expectFault(fixture.bytes, mentions: ["version \(version)"]) { .unsupportedVersion(file: $0, version: version) }
    }

    @Test(arguments: [UInt32(2), 3])
    func bigEndianHeaders(version: UInt32) throws {
        var fixture = try GGUFFixture()
        fixture.set(version.byteSwapped, at: 4)
        try Self.expectFault(fixture.bytes, mentions: ["big-endian"]) { .bigEndian(file: $0) }
    }

    @Test func truncatedInTheHeader() throws {
        let bytes = try GGUFFixture().bytes
        try Self.expectFault(Array(bytes.prefix(6)), mentions: ["truncated", "byte 6", "the version"]) {
            .truncated(file: $0, offset: 6, reading: "the version")
        }
        try Self.expectFault(Array(bytes.prefix(12)), mentions: ["truncated", "byte 12", "the tensor count"]) {
            .truncated(file: $0, offset: 12, reading: "the tensor count")
        }
        // The tensor count is checked against what is left before the key/value count is read.
        let tensors = try GGUFFixture().report.tensors.count
        try Self.expectFault(Array(bytes.prefix(20)), mentions: ["the tensor count", "\(tensors) entries"]) {
            .truncated(file: $0, offset: 20, reading: "the tensor count (\(tensors) entries cannot fit in the 4 bytes left)")
        }
        var noTensors = try GGUFFixture()
        noTensors.set(UInt64(0), at: 8)
        try Self.expectFault(Array(noTensors.bytes.prefix(20)), mentions: ["the key/value count"]) {
            .truncated(file: $0, offset: 20, reading: "the key/value count")
        }
    }

    @Test func truncatedInAKeyOrAValue() throws {
        let fixture = try GGUFFixture()
        let key = "test.array.string", index = try fixture.index(ofKey: key)
        let inLength = try fixture.entry(key).start + 5
        try Self.expectFault(Array(fixture.bytes.prefix(inLength)), mentions: ["the key of key/value \(index)"]) {
            .truncated(file: $0, offset: inLength, reading: "the key of key/value \(index)")
        }
        let inText = try fixture.keyText(key) + 3
        try Self.expectFault(Array(fixture.bytes.prefix(inText)), mentions: ["the key of key/value \(index)", "17 bytes"]) {
            .truncated(file: $0, offset: inText, reading: "the key of key/value \(index) (17 bytes cannot fit in the 3 bytes left)")
        }
        let inValue = try fixture.value("test.padding") + 4
        try Self.expectFault(Array(fixture.bytes.prefix(inValue)), mentions: ["the value of 'test.padding'"]) {
            .truncated(file: $0, offset: inValue, reading: "the value of 'test.padding'")
        }
    }

    @Test func truncatedInATensorInfo() throws {
        let fixture = try GGUFFixture()
        let inDimension = try fixture.dimension("Q4_0", 1) + 2
        try Self.expectFault(Array(fixture.bytes.prefix(inDimension)), mentions: ["truncated", "tensor 'Q4_0'"]) {
            .truncated(file: $0, offset: inDimension, reading: "the info of tensor 'Q4_0'")
        }
        let index = try #require(fixture.report.tensors.firstIndex { $0.name == "Q4_0" })
        let inName = try fixture.nameText("Q4_0") + 2
        try Self.expectFault(Array(fixture.bytes.prefix(inName)), mentions: ["the name of tensor \(index)"]) {
            .truncated(file: $0, offset: inName, reading: "the name of tensor \(index) (4 bytes cannot fit in the 2 bytes left)")
        }
    }

    @Test func countsThatCannotFit() throws {
        let size = try GGUFFixture().bytes.count
        var fixture = try GGUFFixture()
        fixture.set(UInt64.max, at: 8)
        try Self.expectFault(fixture.bytes, mentions: ["the tensor count", "\(UInt64.max) entries"]) {
            .truncated(file: $0, offset: size, reading: "the tensor count (\(UInt64.max) entries cannot fit in the \(size - 16) bytes left)")
        }

        fixture = try GGUFFixture()
        fixture.set(UInt64(1_000_000), at: 16)
        try Self.expectFault(fixture.bytes, mentions: ["the key/value count", "1000000 entries"]) {
            .truncated(file: $0, offset: size, reading: "the key/value count (1000000 entries cannot fit in the \(size - 24) bytes left)")
        }

        fixture = try GGUFFixture()
        let length = try fixture.value("test.array.int32") + 4
        fixture.set(UInt64(1) << 40, at: length)
        try Self.expectFault(fixture.bytes, mentions: ["the length of 'test.array.int32'"]) {
            .truncated(file: $0, offset: size,
                       reading: "the length of 'test.array.int32' (\(UInt64(1) << 40) entries cannot fit in the \(size - length - 8) bytes left)")
        }

        fixture = try GGUFFixture()
        let string = try fixture.value("test.string")
        fixture.set(UInt64(size), at: string)
        try Self.expectFault(fixture.bytes, mentions: ["the value of 'test.string'"]) {
            .truncated(file: $0, offset: size,
                       reading: "the value of 'test.string' (\(size) bytes cannot fit in the \(size - string - 8) bytes left)")
        }
    }

    @Test func unknownValueTypes() throws {
        var fixture = try GGUFFixture()
        fixture.set(UInt32(99), at: try fixture.valueType("test.uint32"))
        try Self.expectFault(fixture.bytes, mentions: ["'test.uint32'", "unknown value type 99"]) {
            .invalidMetadata(file: $0, key: "test.uint32", reason: "unknown value type 99")
        }

        fixture = try GGUFFixture()
        fixture.set(UInt32(99), at: try fixture.value("test.array.int32"))
        try Self.expectFault(fixture.bytes, mentions: ["'test.array.int32'", "unknown array element type 99"]) {
            .invalidMetadata(file: $0, key: "test.array.int32", reason: "unknown array element type 99")
        }

        fixture = try GGUFFixture()
        fixture.set(GGUFValueType.array.rawValue, at: try fixture.value("test.array.int32"))
        try Self.expectFault(fixture.bytes, mentions: ["'test.array.int32'", "nested arrays"]) {
            .invalidMetadata(file: $0, key: "test.array.int32", reason: "nested arrays are not supported")
        }

        fixture = try GGUFFixture()
        fixture.set(UInt8(2), at: try fixture.value("test.bool.true"))
        try Self.expectFault(fixture.bytes, mentions: ["'test.bool.true'", "BOOL holds 2"]) {
            .invalidMetadata(file: $0, key: "test.bool.true", reason: "a BOOL holds 2")
        }
    }

    @Test func invalidUTF8() throws {
        var fixture = try GGUFFixture()
        let index = try fixture.index(ofKey: "test.string")
        fixture.bytes[try fixture.keyText("test.string") + 2] = 0xFF
        try Self.expectFault(fixture.bytes, mentions: ["the key of key/value \(index)", "not valid UTF-8"]) {
            .invalidUTF8(file: $0, reading: "the key of key/value \(index)")
        }

        fixture = try GGUFFixture()
        fixture.bytes[try fixture.value("test.string") + 8] = 0xC3  // a lead byte without its continuation
        fixture.bytes[try fixture.value("test.string") + 9] = 0x28
        try Self.expectFault(fixture.bytes, mentions: ["the value of 'test.string'", "not valid UTF-8"]) {
            .invalidUTF8(file: $0, reading: "the value of 'test.string'")
        }

        fixture = try GGUFFixture()
        let tensor = try #require(fixture.report.tensors.firstIndex { $0.name == "Q4_K" })
        fixture.bytes[try fixture.nameText("Q4_K")] = 0x80
        try Self.expectFault(fixture.bytes, mentions: ["the name of tensor \(tensor)", "not valid UTF-8"]) {
            .invalidUTF8(file: $0, reading: "the name of tensor \(tensor)")
        }
    }

    @Test func unknownTensorTypeIsNamed() throws {
        var fixture = try GGUFFixture()
        fixture.set(UInt32(99), at: try fixture.tensorType("Q4_0"))
        try Self.expectFault(fixture.bytes, mentions: ["'Q4_0'", "unknown tensor type id 99"]) {
            .unknownTensorType(file: $0, tensor: "Q4_0", id: 99)
        }
    }

    /// IQ2_XXS packs 256 elements in 66 bytes, fewer than Q2_K's 84, so the patched tensor stays inside the file.
    @Test func knownTypesThatCannotBeDequantizedOpen() throws {
        var fixture = try GGUFFixture()
        fixture.set(GGMLType.iq2_xxs.rawValue, at: try fixture.tensorType("Q2_K"))
        let scratch = try CheckpointScratch()
        let url = try scratch.write(fixture.bytes, to: "iq2.gguf")
        let file = try GGUFFile(url: url)
        let info = try file.info("Q2_K")
        #expect(info.type == .iq2_xxs && !info.type.isDequantizable)
        let error = GGUFError.notDequantizable(file: url.path, tensor: "Q2_K", type: .iq2_xxs)
        #expect(throws: error) { try file.floats("Q2_K") }
        #expect(throws: error) { try file.floats("Q2_K", rows: 0..<1) }
        for word in [url.path, "'Q2_K'", "IQ2_XXS", "Q6_K"] { #expect(error.description.contains(word), "\(word)") }

        let q2 = try fixture.tensor("Q2_K"), start = fixture.report.dataStart + q2.offset
        #expect(info.byteCount == info.elementCount / 256 * 66)
        #expect(try file.bytes("Q2_K") == Array(fixture.bytes[start..<start + info.byteCount]))
        #expect(try file.floats("Q4_K").count == file.info("Q4_K").elementCount)
    }

    @Test func dataPastTheEndOfTheFile() throws {
        let fixture = try GGUFFixture()
        let last = try #require(fixture.report.tensors.max { $0.offset < $1.offset })
        let end = fixture.report.dataStart + last.offset + last.bytes
        let cut = end - last.bytes / 2
        try Self.expectFault(Array(fixture.bytes.prefix(cut)), mentions: ["'\(last.name)'", "byte \(end)", "\(cut) bytes"]) {
            .tensorOutOfBounds(file: $0, tensor: last.name, end: end, fileSize: cut)
        }

        // Without its trailing padding the file still holds every tensor.
        let scratch = try CheckpointScratch()
        let file = try GGUFFile(url: scratch.write(Array(fixture.bytes.prefix(end)), to: "unpadded.gguf"))
        #expect(try file.floats(last.name) == GGUFFixture.expected().floats(last.name))
    }

    @Test func offsetsAndSizesThatOverflow() throws {
        var fixture = try GGUFFixture()
        let farOffset = UInt64(Int.max) / 64 * 64
        fixture.set(farOffset, at: try fixture.dataOffset("F32"))
        try Self.expectFault(fixture.bytes, mentions: ["'F32'", "past the end"]) {
            .tensorOutOfBounds(file: $0, tensor: "F32", end: Int.max, fileSize: fixture.bytes.count)
        }

        fixture = try GGUFFixture()
        fixture.set(UInt64(1) << 63, at: try fixture.dataOffset("F32"))
        try Self.expectFault(fixture.bytes, mentions: ["'F32'", "out of range"]) {
            .invalidTensorInfo(file: $0, tensor: "F32", reason: "data offset \(UInt64(1) << 63) is out of range")
        }

        // 3 · 2^61 elements fit an Int, their 4-byte values do not.
        fixture = try GGUFFixture()
        fixture.set(UInt64(1) << 61, at: try fixture.dimension("F32", 0))
        try Self.expectFault(fixture.bytes, mentions: ["'F32'", "data size overflows"]) {
            .invalidTensorInfo(file: $0, tensor: "F32", reason: "the data size overflows")
        }

        fixture = try GGUFFixture()
        fixture.set(UInt64(1) << 62, at: try fixture.dimension("F32", 0))
        try Self.expectFault(fixture.bytes, mentions: ["'F32'", "element count overflows"]) {
            .invalidTensorInfo(file: $0, tensor: "F32", reason: "the element count overflows")
        }
    }

    @Test func offsetNotAMultipleOfTheAlignment() throws {
        var fixture = try GGUFFixture()
        let offset = try fixture.tensor("F16").offset + 32
        fixture.set(UInt64(offset), at: try fixture.dataOffset("F16"))
        try Self.expectFault(fixture.bytes, mentions: ["'F16'", "\(offset)", "alignment 64"]) {
            .invalidTensorInfo(file: $0, tensor: "F16", reason: "data offset \(offset) is not a multiple of the alignment 64")
        }
    }

    @Test func rowsOfPartBlocks() throws {
        var fixture = try GGUFFixture()
        fixture.set(UInt64(48), at: try fixture.dimension("Q4_0", 0))
        try Self.expectFault(fixture.bytes, mentions: ["'Q4_0'", "48 elements", "Q4_0 blocks of 32"]) {
            .invalidTensorInfo(file: $0, tensor: "Q4_0", reason: "rows of 48 elements are not whole Q4_0 blocks of 32")
        }

        fixture = try GGUFFixture()
        fixture.set(UInt64(128), at: try fixture.dimension("Q6_K", 0))
        try Self.expectFault(fixture.bytes, mentions: ["'Q6_K'", "Q6_K blocks of 256"]) {
            .invalidTensorInfo(file: $0, tensor: "Q6_K", reason: "rows of 128 elements are not whole Q6_K blocks of 256")
        }
    }

    @Test(arguments: [UInt32(0), 5])
    func dimensionCountsOutOfRange(rank: UInt32) throws {
        var fixture = try GGUFFixture()
        fixture.set(rank, at: try fixture.rank("Q4_0"))
        try Self.expectFault(fixture.bytes, mentions: ["'Q4_0'", "\(rank) dimensions"]) {
            .invalidTensorInfo(file: $0, tensor: "Q4_0", reason: "\(rank) dimensions (1 to 4 allowed)")
        }
    }

    @Test func zeroDimension() throws {
        var fixture = try GGUFFixture()
        fixture.set(UInt64(0), at: try fixture.dimension("Q4_0", 1))
        try Self.expectFault(fixture.bytes, mentions: ["'Q4_0'", "dimension 0"]) {
            .invalidTensorInfo(file: $0, tensor: "Q4_0", reason: "dimension 0 is not positive")
        }
    }

    @Test func duplicateTensorNames() throws {
        var fixture = try GGUFFixture()
        fixture.set("Q4_0", at: try fixture.nameText("Q5_0"))
        try Self.expectFault(fixture.bytes, mentions: ["'Q4_0'", "appears twice"]) {
            .invalidTensorInfo(file: $0, tensor: "Q4_0", reason: "the name appears twice")
        }
    }

    @Test func duplicateKeys() throws {
        var fixture = try GGUFFixture()
        fixture.set("test.uint8", at: try fixture.keyText("test.int16"))
        try Self.expectFault(fixture.bytes, mentions: ["'test.uint8'", "appears twice"]) {
            .invalidMetadata(file: $0, key: "test.uint8", reason: "the key appears twice")
        }
    }

    @Test(arguments: [UInt32(0), 48, 96])
    func alignmentsThatAreNotPowersOfTwo(alignment: UInt32) throws {
        var fixture = try GGUFFixture()
        fixture.set(alignment, at: try fixture.value("general.alignment"))
        try Self.expectFault(fixture.bytes, mentions: ["'general.alignment'", "power of two", "\(alignment)"]) {
            .invalidMetadata(file: $0, key: "general.alignment", reason: "must be a UINT32 power of two, found UINT32 \(alignment)")
        }
    }

    @Test func alignmentOfAnotherType() throws {
        var fixture = try GGUFFixture()
        fixture.set(GGUFValueType.int32.rawValue, at: try fixture.valueType("general.alignment"))
        try Self.expectFault(fixture.bytes, mentions: ["'general.alignment'", "INT32 64"]) {
            .invalidMetadata(file: $0, key: "general.alignment", reason: "must be a UINT32 power of two, found INT32 64")
        }
    }
}
