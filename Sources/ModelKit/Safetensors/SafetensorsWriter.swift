import Foundation
import QuantCore

/// Builds a safetensors file the way the reference writer does: tensors ordered by dtype
/// (widest first) then name, so every tensor is aligned for its element type, and the JSON
/// header padded with spaces to make the data start a multiple of 8.
///
/// ```swift
/// var writer = SafetensorsWriter(metadata: ["format": "pt"])
/// try writer.add("w", shape: [2, 2], data: .f32([1, 2, 3, 4]))
/// try writer.write(to: URL(fileURLWithPath: "out.safetensors"))
/// ```
public struct SafetensorsWriter: Sendable {
    /// Written as `__metadata__` (omitted when empty), keys sorted.
    public var metadata: [String: String]
    private var entries: [(name: String, shape: [Int], data: TensorData)] = []

    /// An empty file with the given metadata.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// The names added so far, in insertion order.
    public var tensorNames: [String] { entries.map(\.name) }

    /// Adds a tensor; the element count must equal `product(shape)` and the name must be new.
    public mutating func add(_ name: String, shape: [Int], data: TensorData) throws(SafetensorsError) {
        guard !name.isEmpty, name != "__metadata__" else {
            throw .invalidTensorData(tensor: name, reason: "the name is empty or reserved")
        }
        guard !entries.contains(where: { $0.name == name }) else {
            throw .invalidTensorData(tensor: name, reason: "a tensor of that name was already added")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidTensorData(tensor: name, reason: "shape \(shape) has a negative dimension")
        }
        guard let elements = ElementCount.of(shape) else { throw .invalidTensorData(tensor: name, reason: "shape \(shape) overflows") }
        guard elements == data.count else {
            throw .invalidTensorData(tensor: name, reason: "shape \(shape) needs \(elements) elements, got \(data.count)")
        }
        entries.append((name, shape, data))
    }

    /// Adds a matrix as a 2-D F32 tensor of shape `[rows, cols]`.
    public mutating func add(_ name: String, matrix: Matrix<Float>) throws(SafetensorsError) {
        try add(name, shape: matrix.shape, data: .f32(matrix.storage))
    }

    /// The complete file contents.
    public func encoded() -> [UInt8] {
        let ordered = orderedEntries()
        var out = headerBytes(for: ordered)
        for entry in ordered { entry.data.withBytes { out.append(contentsOf: $0) } }
        return out
    }

    /// Writes the file to a temporary name in the destination folder, then renames it into
    /// place, so the destination is either the old file or the complete new one.
    public func write(to url: URL) throws(SafetensorsError) {
        let ordered = orderedEntries()
        do {
            try AtomicFile.write(to: url) { handle in
                try handle.write(contentsOf: headerBytes(for: ordered))
                for entry in ordered {
                    try entry.data.withBytes { try handle.write(contentsOf: Data($0)) }
                }
            }
        } catch { throw .writeFailed(file: url.path, reason: error.reason) }
    }

    private func orderedEntries() -> [(name: String, shape: [Int], data: TensorData)] {
        entries.sorted { ($1.data.dtype, $0.name) < ($0.data.dtype, $1.name) }
    }

    /// The 8-byte length, then the JSON header padded with spaces to a multiple of 8.
    private func headerBytes(for ordered: [(name: String, shape: [Int], data: TensorData)]) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for entry in ordered {
            let size = entry.data.count * entry.data.dtype.bitWidth / 8
            let shape = entry.shape.map(String.init).joined(separator: ",")
            members.append("\(jsonString(entry.name)):{\"dtype\":\"\(entry.data.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var json = Array("{\(members.joined(separator: ","))}".utf8)
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
    }

    /// A JSON string literal escaped as serde_json does (quotes, backslash, control characters).
    private func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
