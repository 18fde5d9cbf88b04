import Foundation
import QuantCore

/// A quantized Hugging Face checkpoint read back as plain weights: GPTQ (`qweight`, `qzeros`, `scales`, `g_idx`;
/// v1 and v2), compressed-tensors `pack-quantized`, and AQLM (`codes`, `codebooks`, `scales`). Each packed
/// module shows as one F32 `weight` `[out, in]`, dequantized as the format's loaders do; the packed tensors
/// themselves are hidden, every other tensor passes through. So `inspect`, `eval` and the workbench read a
/// checkpoint quantized elsewhere like any other.
final class PackedWeights: TensorSource, @unchecked Sendable {
    let tensors: [TensorInfo]
    private let files: [any TensorSource]
    private let fileIndexByName: [String: Int]
    private let scheme: PackedScheme
    private let modules: [String: PackedModule]
    private let directory: String

    /// Wraps the files of the checkpoint in `directory` when its config names a packed format; nil otherwise.
    static func wrapping(_ files: [any TensorSource], fileIndexByName: [String: Int], config: URL, directory: String) throws -> PackedWeights? {
        guard let scheme = try PackedScheme(config: config, directory: directory) else { return nil }
        return try PackedWeights(files: files, fileIndexByName: fileIndexByName, scheme: scheme, directory: directory)
    }

    private init(files: [any TensorSource], fileIndexByName: [String: Int], scheme: PackedScheme, directory: String) throws {
        self.files = files
        self.fileIndexByName = fileIndexByName
        self.scheme = scheme
        self.directory = directory
        var modules: [String: PackedModule] = [:]
        let names = Set(fileIndexByName.keys)
        for name in names where name.hasSuffix("." + scheme.marker) {
            let module = String(name.dropLast(scheme.marker.count + 1))
            modules[module + ".weight"] = PackedModule(name: module, shape: try Self.shape(of: module, scheme: scheme, in: files, fileIndexByName))
        }
        self.modules = modules
        let hidden = Set(modules.values.flatMap { m in scheme.parts.map { m.name + "." + $0 } })
        var infos = try fileIndexByName.filter { !hidden.contains($0.key) }.map { try files[$0.value].info($0.key) }
        infos += modules.map { TensorInfo(name: $0.key, dtype: .f32, shape: $0.value.shape, dataOffsets: 0..<0) }
        tensors = infos.sorted { $0.name < $1.name }
    }

    /// What the packed modules are, e.g. `GPTQ 4-bit (gptq_v2): 14 modules read back as F32`.
    var summary: String { "\(scheme.label): \(modules.count) modules read back as F32" }

    func contains(_ name: String) -> Bool { modules[name] != nil || (fileIndexByName[name] != nil && tensors.contains { $0.name == name }) }

    func info(_ name: String) throws -> TensorInfo {
        guard let info = tensors.first(where: { $0.name == name }) else { throw CheckpointError.tensorNotFound(source: directory, tensor: name) }
        return info
    }

    func floats(_ name: String) throws -> [Float] {
        guard let module = modules[name] else { return try file(name).floats(name) }
        return try scheme.dequantize(module, parts: PackedParts(source: self, module: module.name))
    }

    func floats(_ name: String, rows: Range<Int>) throws -> [Float] {
        guard let module = modules[name] else { return try file(name).floats(name, rows: rows) }
        let all = try floats(name), cols = module.shape[1]
        let r = rows.clamped(to: 0..<module.shape[0])
        return Array(all[r.lowerBound * cols..<r.upperBound * cols])
    }

    func matrix(_ name: String) throws -> Matrix<Float> {
        guard let module = modules[name] else { return try file(name).matrix(name) }
        return Matrix(rows: module.shape[0], cols: module.shape[1], storage: try floats(name))
    }

    func doubleMatrix(_ name: String) throws -> Matrix<Double> {
        guard modules[name] != nil else { return try file(name).doubleMatrix(name) }
        let m = try matrix(name)
        return Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map(Double.init))
    }

    private func file(_ name: String) throws -> any TensorSource {
        guard let i = fileIndexByName[name] else { throw CheckpointError.tensorNotFound(source: directory, tensor: name) }
        return files[i]
    }

    /// The file that holds a packed part, as safetensors.
    fileprivate func packedFile(_ name: String) throws -> SafetensorsFile {
        guard let i = fileIndexByName[name], let file = files[i] as? SafetensorsFile else {
            throw CheckpointError.packedWeights(directory: directory, reason: "\(name) is missing")
        }
        return file
    }

    private static func shape(of module: String, scheme: PackedScheme, in files: [any TensorSource], _ index: [String: Int]) throws -> [Int] {
        let probe = PackedParts(files: files, index: index, module: module)
        return try scheme.weightShape(probe)
    }
}

/// The packed tensors of one module, read by part name (`qweight`, `scales`, …).
struct PackedParts {
    private let lookup: (String) throws -> SafetensorsFile
    let module: String

    fileprivate init(source: PackedWeights, module: String) {
        lookup = { [source] in try source.packedFile($0) }
        self.module = module
    }

    fileprivate init(files: [any TensorSource], index: [String: Int], module: String) {
        lookup = { name in
            guard let i = index[name], let file = files[i] as? SafetensorsFile else {
                throw CheckpointError.packedWeights(directory: "", reason: "\(name) is missing")
            }
            return file
        }
        self.module = module
    }

    func has(_ part: String) -> Bool { (try? lookup(module + "." + part)) != nil }
    func shape(_ part: String) throws -> [Int] { try lookup(module + "." + part).info(module + "." + part).shape }
    func dtype(_ part: String) throws -> SafetensorsDType { try lookup(module + "." + part).info(module + "." + part).dtype }
    func floats(_ part: String) throws -> [Float] { try lookup(module + "." + part).floats(module + "." + part) }

    /// An integer part (I8, I16, I32, I64) widened to `Int`.
    func ints(_ part: String) throws -> [Int] {
        let name = module + "." + part, file = try lookup(name)
        let bytes = try file.bytes(name)
        func read<T: FixedWidthInteger>(_: T.Type) -> [Int] { bytes.withUnsafeBytes { $0.bindMemory(to: T.self).map { Int($0) } } }
        switch try file.info(name).dtype {
        case .i8: return read(Int8.self)
        case .i16: return read(Int16.self)
        case .i32: return read(Int32.self)
        case .i64: return read(Int64.self)
        case .u8: return read(UInt8.self)
        case let other: throw CheckpointError.packedWeights(directory: "", reason: "\(name) is \(other.rawValue), not an integer tensor")
        }
    }

    func fault(_ why: String) -> CheckpointError { .packedWeights(directory: "", reason: "\(module): \(why)") }
}

/// A packed module: its name (without `.weight`) and the shape of the weight it stands for.
struct PackedModule {
    let name: String
    let shape: [Int]
}
