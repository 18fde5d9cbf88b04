import Foundation
import QuantCore

/// A memory-mapped, validated safetensors file; tensors are widened to floats on request,
/// one at a time, so a large bf16 checkpoint is never converted up front.
///
/// ```swift
/// let file = try SafetensorsFile(url: URL(fileURLWithPath: "model.safetensors"))
/// let w = try file.matrix("encoder.layer.0.attention.self.query.weight")   // Matrix<Float>
/// ```
public final class SafetensorsFile: Sendable {
    /// Where the file was opened from.
    public let url: URL
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// Every tensor entry, in data order.
    public let tensors: [TensorInfo]

    private let mapping: MappedFile
    private let dataStart: Int
    private let indexByName: [String: Int]

    /// Maps and validates the file; throws `SafetensorsError` naming the file and the fault.
    public init(url: URL) throws(SafetensorsError) {
        self.url = url
        do { mapping = try MappedFile(path: url.path) } catch { throw .cannotOpen(file: url.path, reason: error.reason) }
        let header = try SafetensorsHeader.parse(mapping.bytes, fileName: url.path)
        metadata = header.metadata
        tensors = header.tensors
        dataStart = header.dataStart
        indexByName = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// Validates the header of a whole safetensors file held in memory, as `init(url:)` does, and returns its
    /// metadata and tensor entries (in data order); `fileName` names the source in errors.
    ///
    /// ```swift
    /// let header = try SafetensorsFile.parseHeader(bytes, fileName: "upload.safetensors")
    /// let names = header.tensors.map(\.name)
    /// ```
    public static func parseHeader(_ bytes: UnsafeRawBufferPointer, fileName: String)
        throws(SafetensorsError) -> (metadata: [String: String], tensors: [TensorInfo]) {
        let header = try SafetensorsHeader.parse(bytes, fileName: fileName)
        return (header.metadata, header.tensors)
    }

    /// True when the file holds a tensor of that name.
    public func contains(_ name: String) -> Bool { indexByName[name] != nil }

    /// The header entry of `name`.
    public func info(_ name: String) throws(SafetensorsError) -> TensorInfo {
        guard let index = indexByName[name] else { throw .tensorNotFound(file: url.path, tensor: name) }
        return tensors[index]
    }

    /// A copy of the tensor's raw little-endian bytes (any dtype).
    public func bytes(_ name: String) throws(SafetensorsError) -> [UInt8] {
        let info = try info(name)
        return Array(try raw(info))
    }

    /// The tensor's elements, row-major, widened to `Float` (F16, BF16, F32; F64 rounds).
    public func floats(_ name: String) throws(SafetensorsError) -> [Float] {
        let (info, widening) = try floatingInfo(name)
        return widening.floats(try raw(info), count: info.elementCount)
    }

    /// Rows `rows` (along the first dimension, clamped to the tensor) widened to `Float`, without
    /// reading the rest: embedding lookups and chunked LM heads on large vocabularies.
    func floats(_ name: String, rows: Range<Int>) throws(SafetensorsError) -> [Float] {
        let (info, widening) = try floatingInfo(name)
        let rowCount = info.shape.first ?? 1
        let rows = rows.clamped(to: 0..<rowCount)
        let rowElements = rowCount == 0 ? 0 : info.elementCount / rowCount
        let rowBytes = rowCount == 0 ? 0 : info.byteCount / rowCount
        let start = dataStart + info.dataOffsets.lowerBound + rows.lowerBound * rowBytes
        let raw = try mapped(start..<start + rows.count * rowBytes)
        return widening.floats(raw, count: rows.count * rowElements)
    }

    /// The tensor's elements, row-major, widened exactly to `Double` (F16, BF16, F32, F64).
    public func doubles(_ name: String) throws(SafetensorsError) -> [Double] {
        let (info, widening) = try floatingInfo(name)
        return widening.doubles(try raw(info), count: info.elementCount)
    }

    /// A 2-D floating-point tensor as a row-major `Matrix<Float>` with the stored shape.
    public func matrix(_ name: String) throws(SafetensorsError) -> Matrix<Float> {
        let (rows, cols) = try matrixShape(name)
        return Matrix(rows: rows, cols: cols, storage: try floats(name))
    }

    /// A 2-D floating-point tensor as a row-major `Matrix<Double>` with the stored shape.
    public func doubleMatrix(_ name: String) throws(SafetensorsError) -> Matrix<Double> {
        let (rows, cols) = try matrixShape(name)
        return Matrix(rows: rows, cols: cols, storage: try doubles(name))
    }

    private func raw(_ info: TensorInfo) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        let start = dataStart + info.dataOffsets.lowerBound
        return try mapped(start..<start + info.byteCount)
    }

    /// Bytes of the mapping, once the file is checked to still hold them.
    private func mapped(_ range: Range<Int>) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        do { return try mapping.bytes(range) } catch { throw .unreadable(file: url.path, reason: error.reason) }
    }

    private func floatingInfo(_ name: String) throws(SafetensorsError) -> (TensorInfo, FloatWidening) {
        let info = try info(name)
        guard let widening = FloatWidening(info.dtype) else {
            throw .notFloatingPoint(file: url.path, tensor: name, dtype: info.dtype)
        }
        return (info, widening)
    }

    private func matrixShape(_ name: String) throws(SafetensorsError) -> (Int, Int) {
        let info = try info(name)
        guard info.shape.count == 2 else { throw .notAMatrix(file: url.path, tensor: name, shape: info.shape) }
        return (info.shape[0], info.shape[1])
    }
}
