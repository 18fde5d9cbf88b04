/// The parsed and validated header of a safetensors file.
///
/// Validation follows the reference reader (`huggingface/safetensors`, `tensor.rs`): header length
/// bounds, a JSON object starting with `{`, a string-only `__metadata__`, known dtypes, unique names,
/// byte sizes equal to `product(shape) × dtype size`, and data ranges that tile the whole buffer.
struct SafetensorsHeader {
    /// The reference reader's limit on the header length.
    static let maxHeaderLength: UInt64 = 100_000_000

    let metadata: [String: String]
    /// Entries in data order (ascending offsets).
    let tensors: [TensorInfo]
    /// Absolute file offset of the data buffer, `8 + N`.
    let dataStart: Int

    /// Parses and validates the header of a whole file's bytes.
    static func parse(_ file: UnsafeRawBufferPointer, fileName: String) throws(SafetensorsError) -> SafetensorsHeader {
        guard file.count >= 8 else { throw .fileTooSmall(file: fileName, size: file.count) }
        let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard length <= maxHeaderLength else { throw .headerTooLarge(file: fileName, length: length) }
        guard 8 + Int(length) <= file.count else {
            throw .headerTruncated(file: fileName, length: length, fileSize: file.count)
        }
        let dataStart = 8 + Int(length)
        let members = try parseObject(Array(file[8..<dataStart]), fileName: fileName)

        var metadata: [String: String]?
        var tensors: [TensorInfo] = []
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw .duplicateTensor(file: fileName, tensor: name) }
            if name == "__metadata__" {
                metadata = try parseMetadata(value, fileName: fileName)
            } else {
                tensors.append(try parseEntry(name: name, value: value, fileName: fileName))
            }
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        try validateLayout(tensors, bufferBytes: file.count - dataStart, fileName: fileName)
        return SafetensorsHeader(metadata: metadata ?? [:], tensors: tensors, dataStart: dataStart)
    }

    private static func parseObject(_ bytes: [UInt8], fileName: String) throws(SafetensorsError) -> [(key: String, value: StrictJSON)] {
        var end = bytes.count
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        guard bytes.first == UInt8(ascii: "{") else {
            throw .invalidHeaderJSON(file: fileName, reason: "the header does not start with '{'")
        }
        let json: StrictJSON
        do {
            json = try StrictJSONParser.parse(Array(bytes[0..<end]))
        } catch {
            throw .invalidHeaderJSON(file: fileName, reason: "invalid JSON at header byte \(error.offset): \(error.reason)")
        }
        guard case let .object(members) = json else {
            throw .invalidHeaderJSON(file: fileName, reason: "the header is not a JSON object")
        }
        return members
    }

    private static func parseMetadata(_ value: StrictJSON, fileName: String) throws(SafetensorsError) -> [String: String] {
        guard case let .object(members) = value else {
            throw .invalidMetadata(file: fileName, reason: "expected an object, found \(value.kindName)")
        }
        var map: [String: String] = [:]
        for (key, item) in members {
            guard case let .string(text) = item else {
                throw .invalidMetadata(file: fileName, reason: "value of '\(key)' is \(item.kindName), not a string")
            }
            guard map.updateValue(text, forKey: key) == nil else {
                throw .invalidMetadata(file: fileName, reason: "key '\(key)' appears twice")
            }
        }
        return map
    }

    private static func parseEntry(name: String, value: StrictJSON, fileName: String) throws(SafetensorsError) -> TensorInfo {
        func invalid(_ reason: String) -> SafetensorsError {
            .invalidTensorEntry(file: fileName, tensor: name, reason: reason)
        }
        guard case let .object(fields) = value else { throw invalid("expected an object, found \(value.kindName)") }
        func field(_ key: String) throws(SafetensorsError) -> StrictJSON {
            guard let found = fields.first(where: { $0.key == key }) else { throw invalid("missing '\(key)'") }
            return found.value
        }
        guard case let .string(dtypeText) = try field("dtype") else { throw invalid("'dtype' is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else {
            throw .unknownDType(file: fileName, tensor: name, dtype: dtypeText)
        }
        guard let shape = nonNegativeIntegers(try field("shape")) else {
            throw invalid("'shape' is not an array of non-negative integers")
        }
        guard let offsets = nonNegativeIntegers(try field("data_offsets")), offsets.count == 2 else {
            throw invalid("'data_offsets' is not a pair of non-negative integers")
        }
        guard offsets[0] <= offsets[1] else {
            throw invalid("'data_offsets' begin \(offsets[0]) is after end \(offsets[1])")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    private static func nonNegativeIntegers(_ value: StrictJSON) -> [Int]? {
        guard case let .array(items) = value else { return nil }
        var out: [Int] = []
        for item in items {
            guard case let .number(text) = item, let n = Int(text), n >= 0 else { return nil }
            out.append(n)
        }
        return out
    }

    /// Checks sizes and that the sorted ranges tile `0..<bufferBytes` with no hole and no overlap.
    private static func validateLayout(_ tensors: [TensorInfo], bufferBytes: Int, fileName: String) throws(SafetensorsError) {
        var expectedBegin = 0
        for info in tensors {
            guard info.dataOffsets.lowerBound == expectedBegin else {
                throw .noncontiguousData(file: fileName, tensor: info.name, expectedBegin: expectedBegin,
                                         begin: info.dataOffsets.lowerBound)
            }
            let expectedBytes = try byteSize(of: info, fileName: fileName)
            guard expectedBytes == info.byteCount else {
                throw .sizeMismatch(file: fileName, tensor: info.name, expectedBytes: expectedBytes, actualBytes: info.byteCount)
            }
            expectedBegin = info.dataOffsets.upperBound
        }
        guard expectedBegin == bufferBytes else {
            throw .incompleteBuffer(file: fileName, tensorBytes: expectedBegin, bufferBytes: bufferBytes)
        }
    }

    /// `product(shape) × bits / 8`, overflow-checked; sub-byte totals must fill whole bytes.
    static func byteSize(of info: TensorInfo, fileName: String) throws(SafetensorsError) -> Int {
        guard let elements = ElementCount.of(info.shape) else {
            throw .invalidSize(file: fileName, tensor: info.name, reason: "element count of shape \(info.shape) overflows")
        }
        let (bits, overflow) = elements.multipliedReportingOverflow(by: info.dtype.bitWidth)
        guard !overflow else {
            throw .invalidSize(file: fileName, tensor: info.name, reason: "byte size of shape \(info.shape) overflows")
        }
        guard bits % 8 == 0 else {
            throw .invalidSize(file: fileName, tensor: info.name,
                               reason: "\(elements) elements of \(info.dtype.rawValue) do not fill whole bytes")
        }
        return bits / 8
    }
}
