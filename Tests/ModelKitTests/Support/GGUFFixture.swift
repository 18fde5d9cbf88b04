import Foundation
import Testing
@testable import ModelKit

/// What `gguf.GGUFReader` reads from `Fixtures/gguf/blocks.gguf` (`blocks-expected.json`, written by
/// `scripts/make-gguf-fixtures.py`).
struct GGUFReport: Decodable {
    /// One key/value: where it starts (its key length), its type names, its values rendered as strings.
    struct Entry: Decodable {
        let key: String
        let start: Int
        let type: String
        let element: String?
        let values: [String]
    }

    /// One tensor info: where it starts (its name length), ggml dimensions, type id, data offset and size.
    struct Tensor: Decodable {
        let name: String
        let start: Int
        let dimensions: [Int]
        let type: UInt32
        let offset: Int
        let bytes: Int
    }

    let version: UInt32
    let alignment: Int
    /// Where the tensor infos end, before the padding to the alignment.
    let headerEnd: Int
    let dataStart: Int
    let metadata: [Entry]
    let tensors: [Tensor]
}

/// The bytes of a committed GGUF fixture, with the field positions gguf's reader reports, to be corrupted
/// one field at a time.
struct GGUFFixture {
    var bytes: [UInt8]
    let report: GGUFReport

    static func url(_ name: String) throws -> URL { try ForwardFixtures.folder("gguf/\(name)") }

    static func report() throws -> GGUFReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(GGUFReport.self, from: Data(contentsOf: url("blocks-expected.json")))
    }

    /// The dequantized values gguf's `quants.dequantize` gives for every tensor.
    static func expected() throws -> SafetensorsFile { try SafetensorsFile(url: url("blocks-expected.safetensors")) }

    init(_ name: String = "blocks.gguf") throws {
        bytes = try [UInt8](Data(contentsOf: Self.url(name)))
        report = try Self.report()
    }

    func entry(_ key: String) throws -> GGUFReport.Entry {
        try #require(report.metadata.first { $0.key == key }, "no key \(key) in the report")
    }

    /// The position of a key/value in file order.
    func index(ofKey key: String) throws -> Int {
        try #require(report.metadata.firstIndex { $0.key == key })
    }

    func tensor(_ name: String) throws -> GGUFReport.Tensor {
        try #require(report.tensors.first { $0.name == name }, "no tensor \(name) in the report")
    }

    /// Offset of the first byte of a key's text.
    func keyText(_ key: String) throws -> Int { try entry(key).start + 8 }
    /// Offset of a key's u32 value type.
    func valueType(_ key: String) throws -> Int { try keyText(key) + key.utf8.count }
    /// Offset of a key's value (for an array: its u32 element type, then its u64 length).
    func value(_ key: String) throws -> Int { try valueType(key) + 4 }

    /// Offset of the first byte of a tensor's name.
    func nameText(_ name: String) throws -> Int { try tensor(name).start + 8 }
    /// Offset of a tensor's u32 dimension count.
    func rank(_ name: String) throws -> Int { try nameText(name) + name.utf8.count }
    /// Offset of a tensor's u64 dimension `index` (ggml order).
    func dimension(_ name: String, _ index: Int) throws -> Int { try rank(name) + 4 + 8 * index }
    /// Offset of a tensor's u32 type id.
    func tensorType(_ name: String) throws -> Int { try dimension(name, tensor(name).dimensions.count) }
    /// Offset of a tensor's u64 data offset.
    func dataOffset(_ name: String) throws -> Int { try tensorType(name) + 4 }

    /// Writes `value` little-endian at `offset`.
    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }

    /// Overwrites the bytes at `offset` with the UTF-8 of `text`.
    mutating func set(_ text: String, at offset: Int) {
        bytes.replaceSubrange(offset..<offset + text.utf8.count, with: Array(text.utf8))
    }

    /// The little-endian `T` at `offset`.
    func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T.zero) { $0 << 8 | T($1) }
    }
}

extension GGUFValue {
    /// The values as `blocks-expected.json` renders them: integers in decimal, floats as the decimal bit
    /// pattern, `true`/`false`, strings as they are; an array's elements in order.
    var rendered: [String] {
        switch self {
        case let .uint8(v): ["\(v)"]
        case let .int8(v): ["\(v)"]
        case let .uint16(v): ["\(v)"]
        case let .int16(v): ["\(v)"]
        case let .uint32(v): ["\(v)"]
        case let .int32(v): ["\(v)"]
        case let .uint64(v): ["\(v)"]
        case let .int64(v): ["\(v)"]
        case let .float32(v): ["\(v.bitPattern)"]
        case let .float64(v): ["\(v.bitPattern)"]
        case let .bool(v): ["\(v)"]
        case let .string(v): [v]
        case let .array(_, elements): elements.flatMap(\.rendered)
        }
    }
}
