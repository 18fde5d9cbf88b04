/// The parsed front of a GGUF file: version, metadata and tensor infos, and where the data section starts.
///
/// Layout (little-endian): `"GGUF"`, `u32 version`, `u64 tensor_count`, `u64 kv_count`, the key/values
/// (`string key, u32 type, value`), the tensor infos (`string name, u32 n_dims, u64 ne[n_dims], u32 type,
/// u64 offset`), padding to `general.alignment` (32 when absent), then the tensor data. Strings are
/// `u64 length` + UTF-8 bytes; arrays are `u32 element type, u64 count`, elements.
struct GGUFHeader {
    /// The default and the key of the data alignment.
    static let defaultAlignment = 32, alignmentKey = "general.alignment"
    /// `GGUF` read as a little-endian u32.
    static let magic: UInt32 = 0x4655_4747
    /// The most dimensions a ggml tensor has.
    static let maxDimensions = 4

    var version: UInt32
    /// Key/values in file order.
    var metadata: [(key: String, value: GGUFValue)]
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    /// Byte offset of the data section in the file.
    var dataStart: Int

    /// Parses and validates the header of `bytes` (the whole mapped file); `file` names it in errors.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(GGUFError) -> GGUFHeader {
        var cursor = Cursor(bytes: bytes, file: file)
        guard bytes.count >= 4, try cursor.read(UInt32.self, "the magic") == magic else { throw .notGGUF(file: file) }
        let version = try cursor.read(UInt32.self, "the version")
        if version & 0xFFFF == 0, version != 0 { throw .bigEndian(file: file) }
        guard version == 2 || version == 3 else { throw .unsupportedVersion(file: file, version: version) }
        // A tensor info is at least a name length, a rank, one dimension, a type and an offset.
        let tensorCount = try cursor.count("the tensor count", minimumBytesEach: 8 + 4 + 8 + 4 + 8)
        let keyCount = try cursor.count("the key/value count", minimumBytesEach: 8 + 4 + 1)

        var metadata: [(key: String, value: GGUFValue)] = []
        var seenKeys = Set<String>()
        for index in 0..<keyCount {
            let key = try cursor.string("the key of key/value \(index)")
            guard seenKeys.insert(key).inserted else { throw .invalidMetadata(file: file, key: key, reason: "the key appears twice") }
            let tag = try cursor.read(UInt32.self, "the type of '\(key)'")
            guard let type = GGUFValueType(rawValue: tag) else {
                throw .invalidMetadata(file: file, key: key, reason: "unknown value type \(tag)")
            }
            metadata.append((key, try cursor.value(type, key: key)))
        }
        var alignment = defaultAlignment
        if let value = metadata.first(where: { $0.key == alignmentKey })?.value {
            guard case let .uint32(raw) = value, raw > 0, raw & (raw - 1) == 0 else {
                throw .invalidMetadata(file: file, key: alignmentKey,
                                       reason: "must be a UINT32 power of two, found \(value.type.name) \(value.summary)")
            }
            alignment = Int(raw)
        }

        var tensors: [GGUFTensorInfo] = []
        var seenNames = Set<String>()
        for index in 0..<tensorCount {
            let name = try cursor.string("the name of tensor \(index)")
            guard seenNames.insert(name).inserted else { throw .invalidTensorInfo(file: file, tensor: name, reason: "the name appears twice") }
            tensors.append(try cursor.tensorInfo(name: name, alignment: alignment))
        }
        let dataStart = (cursor.offset + alignment - 1) / alignment * alignment
        for tensor in tensors {
            let (start, startOverflow) = dataStart.addingReportingOverflow(tensor.offset)
            let (end, endOverflow) = start.addingReportingOverflow(tensor.byteCount)
            guard !startOverflow, !endOverflow, end <= bytes.count else {
                throw .tensorOutOfBounds(file: file, tensor: tensor.name, end: startOverflow || endOverflow ? Int.max : end,
                                         fileSize: bytes.count)
            }
        }
        return GGUFHeader(version: version, metadata: metadata, tensors: tensors, alignment: alignment, dataStart: dataStart)
    }
}

/// A bounds-checked reader over the mapped bytes.
private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    private var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        guard remaining >= MemoryLayout<T>.size else { throw .truncated(file: file, offset: bytes.count, reading: what()) }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return value
    }

    /// A u64 count of `units`, refused when even the smallest entries it announces could not fit in the rest
    /// of the file.
    mutating func count(_ what: @autoclosure () -> String, minimumBytesEach: Int, units: String = "entries") throws(GGUFError) -> Int {
        let raw = try read(UInt64.self, what())
        guard raw <= UInt64(remaining / minimumBytesEach) else {
            throw .truncated(file: file, offset: bytes.count,
                             reading: "\(what()) (\(raw) \(units) cannot fit in the \(remaining) bytes left)")
        }
        return Int(raw)
    }

    mutating func string(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let length = try count(what(), minimumBytesEach: 1, units: "bytes")
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        offset += length
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(file: file, reading: what()) }
        return text
    }

    mutating func value(_ type: GGUFValueType, key: String) throws(GGUFError) -> GGUFValue {
        let what = "the value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, what))
        case .int8: return .int8(try read(Int8.self, what))
        case .uint16: return .uint16(try read(UInt16.self, what))
        case .int16: return .int16(try read(Int16.self, what))
        case .uint32: return .uint32(try read(UInt32.self, what))
        case .int32: return .int32(try read(Int32.self, what))
        case .uint64: return .uint64(try read(UInt64.self, what))
        case .int64: return .int64(try read(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        case .bool:
            let raw = try read(UInt8.self, what)
            guard raw <= 1 else { throw .invalidMetadata(file: file, key: key, reason: "a BOOL holds \(raw)") }
            return .bool(raw == 1)
        case .string: return .string(try string(what))
        case .array:
            let tag = try read(UInt32.self, "the element type of '\(key)'")
            guard let element = GGUFValueType(rawValue: tag), element != .array else {
                throw .invalidMetadata(file: file, key: key, reason: tag == GGUFValueType.array.rawValue
                    ? "nested arrays are not supported" : "unknown array element type \(tag)")
            }
            let n = try count("the length of '\(key)'", minimumBytesEach: element.scalarSize)
            var elements: [GGUFValue] = []
            elements.reserveCapacity(n)
            for _ in 0..<n { elements.append(try value(element, key: key)) }
            return .array(element, elements)
        }
    }

    mutating func tensorInfo(name: String, alignment: Int) throws(GGUFError) -> GGUFTensorInfo {
        let what = "the info of tensor '\(name)'"
        let rank = try read(UInt32.self, what)
        guard (1...UInt32(GGUFHeader.maxDimensions)).contains(rank) else {
            throw .invalidTensorInfo(file: file, tensor: name, reason: "\(rank) dimensions (1 to \(GGUFHeader.maxDimensions) allowed)")
        }
        var dimensions: [Int] = []
        var elements = 1
        for _ in 0..<rank {
            let raw = try read(UInt64.self, what)
            guard let dim = Int(exactly: raw), dim > 0 else {
                throw .invalidTensorInfo(file: file, tensor: name, reason: "dimension \(raw) is not positive")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw .invalidTensorInfo(file: file, tensor: name, reason: "the element count overflows")
            }
            elements = product
            dimensions.append(dim)
        }
        let id = try read(UInt32.self, what)
        guard let type = GGMLType(rawValue: id) else { throw .unknownTensorType(file: file, tensor: name, id: id) }
        guard dimensions[0] % type.blockSize == 0 else {
            throw .invalidTensorInfo(file: file, tensor: name,
                                     reason: "rows of \(dimensions[0]) elements are not whole \(type.name) blocks of \(type.blockSize)")
        }
        guard !(elements / type.blockSize).multipliedReportingOverflow(by: type.typeSize).overflow else {
            throw .invalidTensorInfo(file: file, tensor: name, reason: "the data size overflows")
        }
        let rawOffset = try read(UInt64.self, what)
        guard let offset = Int(exactly: rawOffset) else {
            throw .invalidTensorInfo(file: file, tensor: name, reason: "data offset \(rawOffset) is out of range")
        }
        guard offset % alignment == 0 else {
            throw .invalidTensorInfo(file: file, tensor: name, reason: "data offset \(rawOffset) is not a multiple of the alignment \(alignment)")
        }
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset)
    }
}

private extension GGUFValueType {
    /// Bytes of one scalar element (strings are at least their 8-byte length).
    var scalarSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64, .string: 8
        case .array: 12
        }
    }
}
