import Foundation

/// A memory-mapped, validated GGUF file (versions 2 and 3): its metadata, its tensor infos, and tensors
/// dequantized to `Float` on request, one at a time.
///
/// ```swift
/// let file = try GGUFFile(url: URL(fileURLWithPath: "SmolLM2-135M-Instruct.Q4_1.gguf"))
/// let layers = file.metadata["llama.block_count"]?.int          // 30
/// let w = try file.floats("blk.0.attn_q.weight")                  // row-major [576, 576]
/// ```
public final class GGUFFile: Sendable {
    /// Where the file was opened from.
    public let url: URL
    /// The format version (2 or 3).
    public let version: UInt32
    /// The key/values, in file order.
    public let entries: [(key: String, value: GGUFValue)]
    /// The key/values by key.
    public let metadata: [String: GGUFValue]
    /// The tensor infos, in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, 32 when absent).
    public let alignment: Int

    private let mapping: MappedFile
    private let dataStart: Int
    private let indexByName: [String: Int]

    /// Maps and validates the file; throws `GGUFError` naming the file and the fault.
    public init(url: URL) throws(GGUFError) {
        self.url = url
        do { mapping = try MappedFile(path: url.path) } catch { throw .cannotOpen(file: url.path, reason: error.reason) }
        let header = try GGUFHeader.parse(mapping.bytes, file: url.path)
        version = header.version
        entries = header.metadata
        metadata = Dictionary(uniqueKeysWithValues: header.metadata.map { ($0.key, $0.value) })
        tensors = header.tensors
        alignment = header.alignment
        dataStart = header.dataStart
        indexByName = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// Validates the front of a whole GGUF file held in memory, as `init(url:)` does, and returns its version,
    /// key/values and tensor infos (in file order); `file` names the source in errors.
    ///
    /// ```swift
    /// let header = try GGUFFile.parseHeader(bytes, file: "upload.gguf")
    /// let metadata = Dictionary(uniqueKeysWithValues: header.entries.map { ($0.key, $0.value) })
    /// ```
    public static func parseHeader(_ bytes: UnsafeRawBufferPointer, file: String) throws(GGUFError)
        -> (version: UInt32, entries: [(key: String, value: GGUFValue)], tensors: [GGUFTensorInfo]) {
        let header = try GGUFHeader.parse(bytes, file: file)
        return (header.version, header.metadata, header.tensors)
    }

    /// True when the file holds a tensor of that name.
    public func contains(_ name: String) -> Bool { indexByName[name] != nil }

    /// The tensor info of `name`.
    public func info(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
        guard let index = indexByName[name] else { throw .tensorNotFound(file: url.path, tensor: name) }
        return tensors[index]
    }

    /// The whole tensor dequantized to `Float`, row-major in `shape` order.
    public func floats(_ name: String) throws(GGUFError) -> [Float] {
        let info = try info(name)
        return try floats(name, rows: 0..<(info.shape.first ?? 1))
    }

    /// Rows `rows` of the outermost dimension (clamped to it) dequantized to `Float`, without reading the rest.
    public func floats(_ name: String, rows: Range<Int>) throws(GGUFError) -> [Float] {
        let info = try info(name)
        guard info.type.isDequantizable else { throw .notDequantizable(file: url.path, tensor: name, type: info.type) }
        let rowCount = info.shape[0]
        let rows = rows.clamped(to: 0..<rowCount)
        // A vector's rows are single elements, not whole blocks: dequantize it all and cut.
        guard info.dimensions.count > 1 else { return Array(try dequantized(info, bytes: 0..<info.byteCount)[rows]) }
        let rowElements = info.elementCount / rowCount, rowBytes = info.byteCount / rowCount
        return try dequantized(info, bytes: rows.lowerBound * rowBytes..<rows.upperBound * rowBytes, elements: rows.count * rowElements)
    }

    /// Dequantizes the bytes `range` of a tensor's data (whole blocks) into `elements` floats.
    private func dequantized(_ info: GGUFTensorInfo, bytes range: Range<Int>, elements: Int? = nil) throws(GGUFError) -> [Float] {
        let start = dataStart + info.offset
        let source = try mapped(start + range.lowerBound..<start + range.upperBound)
        return [Float](unsafeUninitializedCapacity: elements ?? info.elementCount) { buffer, initialized in
            info.type.dequantize(source, into: buffer)
            initialized = buffer.count
        }
    }

    /// The raw bytes of a tensor, as stored (any type).
    public func bytes(_ name: String) throws(GGUFError) -> [UInt8] {
        let info = try info(name)
        let start = dataStart + info.offset
        return Array(try mapped(start..<start + info.byteCount))
    }

    /// Bytes of the mapping, once the file is checked to still hold them.
    private func mapped(_ range: Range<Int>) throws(GGUFError) -> UnsafeRawBufferPointer {
        do { return try mapping.bytes(range) } catch { throw .unreadable(file: url.path, reason: error.reason) }
    }
}
