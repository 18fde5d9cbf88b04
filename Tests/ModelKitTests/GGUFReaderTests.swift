import Foundation
import Testing
@testable import ModelKit

/// `Fixtures/gguf/` as `scripts/make-gguf-fixtures.py` writes it with the `gguf` package: the reader must
/// agree with that package's reader and dequantizer.
@Suite("GGUF reader")
struct GGUFReaderTests {
    /// Every tensor of the fixture: one per dequantizable type, a vector and a 3-D tensor.
    static let tensorNames = GGMLType.dequantizable.map(\.name) + ["vector.F16", "cube.Q8_0"]

    /// The index and both values of the first element whose bit patterns differ, nil when none does.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> (Int, Float, Float)? {
        zip(a, b).enumerated().first { $1.0.bitPattern != $1.1.bitPattern }.map { ($0, $1.0, $1.1) }
    }

    @Test func fixtureHoldsEveryDequantizableType() throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        #expect(Set(file.tensors.map(\.type)) == Set(GGMLType.dequantizable))
        #expect(file.tensors.map(\.name) == Self.tensorNames)
    }

    /// gguf's `quants.dequantize` and this reader do the same f32 operations in the same order on every
    /// element (a scale widened from f16 times a small integer, minus a widened min, no fused multiply-add),
    /// and f16, bf16 and f32 widen exactly, so the results agree bit for bit (signed zeros included).
    @Test(arguments: tensorNames)
    func dequantizesAsTheGGUFPackage(name: String) throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let expected = try GGUFFixture.expected()
        #expect(try file.info(name).shape == expected.info(name).shape)
        let values = try file.floats(name), reference = try expected.floats(name)
        #expect(values.count == reference.count)
        if let (index, value, want) = Self.firstDifference(values, reference) {
            Issue.record("\(name)[\(index)] = \(value) (bits \(value.bitPattern)), gguf gives \(want) (bits \(want.bitPattern))")
        }
    }

    @Test func tensorInfosAreTheGGUFReaders() throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let report = try GGUFFixture.report()
        #expect(file.tensors.count == report.tensors.count)
        for (info, want) in zip(file.tensors, report.tensors) {
            #expect(info.name == want.name)
            #expect(info.dimensions == want.dimensions && info.shape == want.dimensions.reversed(), "\(info.name)")
            #expect(info.type.rawValue == want.type && info.offset == want.offset && info.byteCount == want.bytes, "\(info.name)")
            #expect(info.elementCount == want.dimensions.reduce(1, *), "\(info.name)")
        }
    }

    @Test(arguments: tensorNames)
    func rowRangesAreSlicesOfTheWholeTensor(name: String) throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let whole = try file.floats(name)
        let rows = try file.info(name).shape[0], width = whole.count / rows
        let ranges = [0..<0, 0..<1, 1..<rows, rows - 1..<rows, 1..<2, 0..<rows]
        for range in ranges {
            let part = try file.floats(name, rows: range)
            let slice = Array(whole[range.lowerBound * width..<range.upperBound * width])
            #expect(part.count == slice.count && Self.firstDifference(part, slice) == nil, "\(name) rows \(range)")
        }
        // Ranges reaching past either end are clamped to the rows there are.
        #expect(try file.floats(name, rows: 1..<rows + 5) == file.floats(name, rows: 1..<rows))
        #expect(try file.floats(name, rows: rows..<rows + 2).isEmpty)
    }

    @Test func metadataOfEveryTypeReadsBack() throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let report = try GGUFFixture.report()
        #expect(file.entries.map(\.key) == report.metadata.map(\.key))
        #expect(Set(report.metadata.map(\.type)) == Set(GGUFValueType.allCases.map(\.name)))
        let elementTypes = Set(report.metadata.compactMap(\.element))
        #expect(elementTypes == Set(GGUFValueType.allCases.filter { $0 != .array }.map(\.name)))
        for (key, value) in file.entries {
            let want = try #require(report.metadata.first { $0.key == key })
            #expect(file.metadata[key] == value, "\(key)")
            #expect(value.type.name == want.type, "\(key)")
            if case let .array(element, elements) = value {
                #expect(element.name == want.element && elements.allSatisfy { $0.type == element }, "\(key)")
            } else {
                #expect(want.element == nil, "\(key)")
            }
            #expect(value.rendered == want.values, "\(key)")
        }
    }

    @Test func accessorsGiveTheValuesOfTheirTypes() throws {
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let integers: Set = ["UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "UINT64", "INT64"]
        for want in try GGUFFixture.report().metadata {
            let value = try #require(file.metadata[want.key])
            let type = want.element ?? want.type
            // Int(String) is nil for a UINT64 beyond Int.max, as `int` must be.
            let ints = want.values.map { Int($0) }
            if want.element == nil {
                #expect(value.int == (integers.contains(type) ? ints[0] : nil), "\(want.key)")
                #expect(value.string == (type == "STRING" ? want.values[0] : nil), "\(want.key)")
                #expect(value.bool == (type == "BOOL" ? want.values[0] == "true" : nil), "\(want.key)")
                #expect(value.array == nil && value.strings == nil && value.ints == nil, "\(want.key)")
                let double: Double? = switch type {
                case "FLOAT32": UInt32(want.values[0]).map { Double(Float(bitPattern: $0)) }
                case "FLOAT64": UInt64(want.values[0]).map { Double(bitPattern: $0) }
                default: integers.contains(type) ? ints[0].map(Double.init) : nil
                }
                #expect(value.double == double, "\(want.key)")
            } else {
                #expect(value.array?.count == want.values.count && value.int == nil, "\(want.key)")
                #expect(value.strings == (type == "STRING" ? want.values : nil), "\(want.key)")
                let allInts = integers.contains(type) && !ints.contains(nil)
                #expect(value.ints == (allInts ? ints.map { $0! } : nil), "\(want.key)")
            }
        }
    }

    @Test func alignmentIsHonoured() throws {
        let fixture = try GGUFFixture()
        let report = fixture.report
        let file = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        #expect(file.alignment == report.alignment && file.metadata["general.alignment"] == .uint32(UInt32(report.alignment)))
        #expect(file.tensors.allSatisfy { $0.offset % report.alignment == 0 })
        // The fixture ends its tensor infos where the default alignment would start the data elsewhere,
        // so reading the right bytes shows the key was used.
        let defaultStart = (report.headerEnd + 31) / 32 * 32
        #expect(report.dataStart % report.alignment == 0 && defaultStart != report.dataStart)
        for info in file.tensors {
            let start = report.dataStart + info.offset
            #expect(try file.bytes(info.name) == Array(fixture.bytes[start..<start + info.byteCount]), "\(info.name)")
        }

        // Declared 32, the same file reads its data from the 32-aligned start.
        var patched = fixture
        patched.set(UInt32(32), at: try fixture.value("general.alignment"))
        let scratch = try CheckpointScratch()
        let moved = try GGUFFile(url: scratch.write(patched.bytes, to: "aligned32.gguf"))
        #expect(moved.alignment == 32)
        let first = try #require(moved.tensors.first)
        #expect(try moved.bytes(first.name) == Array(fixture.bytes[defaultStart + first.offset..<defaultStart + first.offset + first.byteCount]))
    }

    @Test func versionsTwoAndThreeReadAlike() throws {
        let v3 = try GGUFFile(url: GGUFFixture.url("blocks.gguf"))
        let v2 = try GGUFFile(url: GGUFFixture.url("blocks-v2.gguf"))
        let report = try GGUFFixture.report()
        #expect(v3.version == 3 && v2.version == 2 && v3.version == report.version)
        #expect(v2.entries.map(\.key) == v3.entries.map(\.key) && v2.metadata == v3.metadata)
        #expect(v2.tensors == v3.tensors && v2.alignment == v3.alignment)
        let expected = try GGUFFixture.expected()
        for name in Self.tensorNames {
            let values = try v2.floats(name), reference = try expected.floats(name)
            #expect(values.count == reference.count && Self.firstDifference(values, reference) == nil, "\(name)")
        }
    }

    @Test func unknownTensorNamesAreTypedErrors() throws {
        let url = try GGUFFixture.url("blocks.gguf")
        let file = try GGUFFile(url: url)
        #expect(file.contains("Q4_K") && !file.contains("zzz"))
        #expect(throws: GGUFError.tensorNotFound(file: url.path, tensor: "zzz")) { try file.floats("zzz") }
        #expect(throws: GGUFError.tensorNotFound(file: url.path, tensor: "zzz")) { try file.bytes("zzz") }
    }
}
