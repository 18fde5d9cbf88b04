import Foundation

/// Builds a GGUF v3 file in the layout of the `gguf` package's `GGUFWriter`: the header, the key/values in the
/// order they were added, the tensor infos in the order the tensors were added (ggml dimensions, innermost
/// first), zero padding to the alignment, then each tensor's bytes padded with zeros to the alignment. The
/// alignment is `general.alignment` when the metadata holds it (a `UINT32` power of two), 32 otherwise.
///
/// Tensors are given as bytes or as a closure called once, at write time, in file order, so a large model is
/// streamed to the file one tensor at a time. The file is written atomically.
///
/// ```swift
/// var writer = GGUFWriter()
/// try writer.add("general.architecture", .string("llama"))
/// try writer.add("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) }))
/// try writer.addTensor("output_norm.weight", dimensions: [576], type: .f32, bytes: normBytes)
/// try writer.addTensor("blk.0.attn_q.weight", dimensions: [576, 576], type: .q4_0) {
///     try GGMLBlockEncoding.encode(.q4_0, codes: codes, rows: 576, columns: 576, d: scales)
/// }
/// try writer.write(to: URL(fileURLWithPath: "model.gguf"))
/// ```
public struct GGUFWriter {
    /// The format version written.
    public static let version: UInt32 = 3
    /// The longest tensor name llama.cpp reads, in UTF-8 bytes (`GGML_MAX_NAME` less its terminating NUL).
    public static let maxNameBytes = 63

    /// The key/values, in the order they were added.
    public private(set) var entries: [(key: String, value: GGUFValue)] = []
    private var tensors: [Tensor] = []

    /// A tensor to write: its info and where its bytes come from.
    private struct Tensor {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let byteCount: Int
        let bytes: () throws -> [UInt8]
    }

    /// An empty file.
    public init() {}

    /// The tensor names, in the order they were added.
    public var tensorNames: [String] { tensors.map(\.name) }

    /// The data alignment: `general.alignment` when set, 32 otherwise.
    public var alignment: Int {
        if case let .uint32(raw)? = entries.first(where: { $0.key == GGUFHeader.alignmentKey })?.value { return Int(raw) }
        return GGUFHeader.defaultAlignment
    }

    /// Appends a key/value. The key must be new and non-empty; an array's elements must all be of its element
    /// type (arrays of arrays are refused, an empty array is kept); `general.alignment` must be a `UINT32`
    /// power of two.
    public mutating func add(_ key: String, _ value: GGUFValue) throws(GGUFWriteError) {
        guard !key.isEmpty else { throw .invalidValue(key: key, reason: "the key is empty") }
        guard !entries.contains(where: { $0.key == key }) else { throw .duplicateKey(key: key) }
        if case let .array(element, elements) = value {
            guard element != .array else { throw .invalidValue(key: key, reason: "arrays of arrays are not supported") }
            if let index = elements.firstIndex(where: { $0.type != element }) {
                throw .invalidValue(key: key, reason: "element \(index) is \(elements[index].type.name) in an array of \(element.name)")
            }
        }
        if key == GGUFHeader.alignmentKey {
            guard case let .uint32(raw) = value, raw > 0, raw & (raw - 1) == 0 else {
                throw .invalidValue(key: key, reason: "must be a UINT32 power of two, got \(value.type.name) \(value.summary)")
            }
        }
        entries.append((key, value))
    }

    /// Appends a tensor of ggml dimensions `dimensions` (`ne`, innermost first: a row-major `[rows, columns]`
    /// weight is `[columns, rows]`) whose stored bytes are `bytes`.
    public mutating func addTensor(_ name: String, dimensions: [Int], type: GGMLType, bytes: [UInt8]) throws(GGUFWriteError) {
        let expected = try checkedByteCount(name, dimensions: dimensions, type: type)
        guard bytes.count == expected else { throw .sizeMismatch(tensor: name, expectedBytes: expected, actualBytes: bytes.count) }
        tensors.append(Tensor(name: name, dimensions: dimensions, type: type, byteCount: expected, bytes: { bytes }))
    }

    /// Appends a tensor whose bytes `bytes` produces when the file is written (called once, in file order);
    /// `write` refuses bytes of the wrong size, and reports the closure's error as `.tensorSourceFailed`.
    public mutating func addTensor(_ name: String, dimensions: [Int], type: GGMLType,
                                   bytes: @escaping () throws -> [UInt8]) throws(GGUFWriteError) {
        let expected = try checkedByteCount(name, dimensions: dimensions, type: type)
        tensors.append(Tensor(name: name, dimensions: dimensions, type: type, byteCount: expected, bytes: bytes))
    }

    /// Checks a new tensor's name and dimensions as llama.cpp reads them, and returns its byte count.
    private func checkedByteCount(_ name: String, dimensions: [Int], type: GGMLType) throws(GGUFWriteError) -> Int {
        guard !name.isEmpty, name.utf8.count <= Self.maxNameBytes else {
            throw .invalidTensor(tensor: name, reason: "the name must be 1 to \(Self.maxNameBytes) bytes long")
        }
        guard !tensors.contains(where: { $0.name == name }) else { throw .duplicateTensor(tensor: name) }
        guard (1...GGUFHeader.maxDimensions).contains(dimensions.count), dimensions.allSatisfy({ $0 > 0 }) else {
            throw .invalidTensor(tensor: name, reason: "dimensions \(dimensions): 1 to \(GGUFHeader.maxDimensions) positive sizes needed")
        }
        guard dimensions[0] % type.blockSize == 0 else {
            throw .invalidTensor(tensor: name, reason: "rows of \(dimensions[0]) elements are not whole \(type.name) blocks of \(type.blockSize)")
        }
        guard let elements = ElementCount.of(dimensions) else { throw .invalidTensor(tensor: name, reason: "dimensions \(dimensions) overflow") }
        let (bytes, overflow) = (elements / type.blockSize).multipliedReportingOverflow(by: type.typeSize)
        guard !overflow else { throw .invalidTensor(tensor: name, reason: "the data size overflows") }
        return bytes
    }

    /// Writes the file to a temporary name in the destination folder and renames it into place, so `url` is
    /// either the old file or the complete new one. Each tensor's bytes are held only while they are written.
    public func write(to url: URL, progress: (_ written: Int, _ total: Int) -> Void = { _, _ in }) throws(GGUFWriteError) {
        let alignment = alignment
        let total = tensors.reduce(0) { $0 + $1.byteCount }
        var written = 0
        var failure: GGUFWriteError?
        do {
            try AtomicFile.write(to: url) { handle in
                try handle.write(contentsOf: header(alignment: alignment))
                let zeros = [UInt8](repeating: 0, count: alignment)
                for tensor in tensors {
                    let bytes: [UInt8]
                    do { bytes = try tensor.bytes() } catch {
                        failure = .tensorSourceFailed(tensor: tensor.name, reason: ErrorWords.describe(error))
                        throw error
                    }
                    guard bytes.count == tensor.byteCount else {
                        let error = GGUFWriteError.sizeMismatch(tensor: tensor.name, expectedBytes: tensor.byteCount, actualBytes: bytes.count)
                        failure = error
                        throw error
                    }
                    try handle.write(contentsOf: bytes)
                    try handle.write(contentsOf: zeros[0..<Self.padding(bytes.count, alignment)])
                    written += bytes.count
                    progress(written, total)
                }
            }
        } catch {
            throw failure ?? .writeFailed(file: url.path, reason: error.reason)
        }
    }

    /// Zero bytes that bring `count` to a multiple of `alignment`.
    private static func padding(_ count: Int, _ alignment: Int) -> Int { (alignment - count % alignment) % alignment }

    /// Everything before the first tensor's bytes: header, key/values, tensor infos, padding.
    private func header(alignment: Int) -> [UInt8] {
        var out = GGUFBytes()
        out.append(GGUFHeader.magic)
        out.append(Self.version)
        out.append(UInt64(tensors.count))
        out.append(UInt64(entries.count))
        for (key, value) in entries {
            out.append(key)
            out.append(value.type.rawValue)
            out.append(value)
        }
        var offset = 0
        for tensor in tensors {
            out.append(tensor.name)
            out.append(UInt32(tensor.dimensions.count))
            for dim in tensor.dimensions { out.append(UInt64(dim)) }
            out.append(tensor.type.rawValue)
            out.append(UInt64(offset))
            offset += tensor.byteCount + Self.padding(tensor.byteCount, alignment)
        }
        out.bytes.append(contentsOf: repeatElement(0, count: Self.padding(out.bytes.count, alignment)))
        return out.bytes
    }
}

/// The little-endian encodings of GGUF's integers, strings and values.
private struct GGUFBytes {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// `u64` byte length, then the UTF-8 bytes.
    mutating func append(_ text: String) {
        append(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// A value without its type tag; an array as element type, `u64` count, elements.
    mutating func append(_ value: GGUFValue) {
        switch value {
        case let .uint8(v): append(v)
        case let .int8(v): append(v)
        case let .uint16(v): append(v)
        case let .int16(v): append(v)
        case let .uint32(v): append(v)
        case let .int32(v): append(v)
        case let .uint64(v): append(v)
        case let .int64(v): append(v)
        case let .float32(v): append(v.bitPattern)
        case let .float64(v): append(v.bitPattern)
        case let .bool(v): append(UInt8(v ? 1 : 0))
        case let .string(v): append(v)
        case let .array(element, elements):
            append(element.rawValue)
            append(UInt64(elements.count))
            for e in elements { append(e) }
        }
    }
}
