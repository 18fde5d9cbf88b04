import Foundation
import QuantCore

/// A model checkpoint: a Hugging Face folder (`config.json` plus `model.safetensors` or a sharded set with
/// `model.safetensors.index.json`), or a GGUF llama file (a `.gguf` path, or a folder holding exactly one),
/// whose config comes from its metadata and whose tensors are dequantized and renamed to the Hugging Face
/// names. Files are memory-mapped once; tensors load by name on request.
///
/// ```swift
/// let checkpoint = try Checkpoint(directory: KnownModel.miniLM.directory)
/// for layer in checkpoint.linearLayers {
///     let w = try checkpoint.loadLinearWeight(layer.name)   // [out, in]
/// }
/// ```
///
/// `init` throws `CheckpointError` (folder-level faults), `ModelConfigError`, `SafetensorsError` or `GGUFError`.
public final class Checkpoint: Sendable {
    /// The name of the single-file weights.
    public static let singleFileName = "model.safetensors"
    /// The name of the shard index.
    public static let indexFileName = "model.safetensors.index.json"
    /// The extension of GGUF files.
    public static let ggufExtension = "gguf"

    /// How the weights are stored.
    public enum Format: Sendable, Equatable {
        case safetensors
        /// A GGUF file of that version; its quantized tensors are the model's full-precision reference.
        case gguf(version: UInt32)
    }

    /// The model folder.
    public let directory: URL
    /// The parsed `config.json` (for GGUF, the config its metadata implies).
    public let config: ModelConfig
    /// Every tensor of the checkpoint, sorted by name (for a sharded one, those of the index).
    public let tensors: [TensorInfo]
    /// The weight files: one, or one per shard.
    public let fileURLs: [URL]
    /// How the weights are stored.
    public let format: Format
    /// The opened GGUF file (its metadata holds the tokenizer); nil for safetensors.
    public let gguf: GGUFFile?
    /// True when the weights come from a shard index.
    public let isSharded: Bool
    /// The linear layers and the detected name prefix.
    public let layout: ModelLayout

    /// The opened files: one, or one per shard.
    private let files: [any TensorSource]
    /// Where each tensor lives: an index into `files`.
    private let fileIndexByName: [String: Int]
    /// The file or index that lists the tensors, for error messages.
    private let tensorSource: String

    /// Opens and validates the checkpoint: config, index, every shard's header (or the GGUF header), and the
    /// linear layout. `directory` may also be the path of a `.gguf` file.
    public init(directory path: URL) throws {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder)
        if exists, !isFolder.boolValue, path.pathExtension.lowercased() == Self.ggufExtension {
            (directory, config, files, fileIndexByName, gguf) = try Self.openGGUF(path)
            format = .gguf(version: gguf?.version ?? 0)
            fileURLs = [path]
            tensorSource = path.path
            isSharded = false
        } else {
            guard exists, isFolder.boolValue else { throw CheckpointError.notADirectory(path: path.path) }
            directory = path
            let configURL = path.appendingPathComponent("config.json")
            let indexURL = path.appendingPathComponent(Self.indexFileName)
            let singleURL = path.appendingPathComponent(Self.singleFileName)
            let ggufs = Self.ggufFiles(in: path)
            if !RegularFile.entryExists(configURL), !ggufs.isEmpty {
                guard ggufs.count == 1 else { throw CheckpointError.severalGGUFFiles(directory: path.path, files: ggufs.map(\.lastPathComponent)) }
                (_, config, files, fileIndexByName, gguf) = try Self.openGGUF(ggufs[0])
                format = .gguf(version: gguf?.version ?? 0)
                fileURLs = ggufs
                tensorSource = ggufs[0].path
                isSharded = false
            } else {
                guard RegularFile.entryExists(configURL) else {
                    throw CheckpointError.missingConfig(directory: path.path)
                }
                config = try ModelConfig.load(from: configURL)
                gguf = nil
                format = .safetensors
                if RegularFile.entryExists(indexURL) {
                    let (shards, index) = try Self.openShards(index: indexURL, directory: path)
                    (files, fileIndexByName) = try Self.unpacking(shards, index: index, directory: path)
                    fileURLs = shards.map(\.url)
                    isSharded = true
                    tensorSource = indexURL.path
                } else if RegularFile.entryExists(singleURL) {
                    let file = try SafetensorsFile(url: singleURL)
                    (files, fileIndexByName) = try Self.unpacking([file], index: Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, 0) }),
                                                                  directory: path)
                    fileURLs = [singleURL]
                    isSharded = false
                    tensorSource = singleURL.path
                } else {
                    let bin = path.appendingPathComponent("pytorch_model.bin")
                    let binIndex = path.appendingPathComponent("pytorch_model.bin.index.json")
                    throw CheckpointError.noWeights(
                        directory: path.path,
                        hasPyTorchBin: FileManager.default.fileExists(atPath: bin.path)
                            || FileManager.default.fileExists(atPath: binIndex.path))
                }
            }
        }
        let files = files
        tensors = try fileIndexByName.map { name, index in try files[index].info(name) }.sorted { $0.name < $1.name }
        layout = try ModelLayout(config: config,
                                 tensorShapes: Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.shape) }),
                                 directory: gguf?.url.path ?? directory.path)
    }

    /// The files as they are, or behind ``PackedWeights`` when `config.json` names a packed format (GPTQ,
    /// compressed-tensors, AQLM), so its modules read as plain weights.
    private static func unpacking(_ files: [SafetensorsFile], index: [String: Int], directory: URL) throws -> ([any TensorSource], [String: Int]) {
        guard let packed = try PackedWeights.wrapping(files, fileIndexByName: index, config: directory.appendingPathComponent("config.json"),
                                                      directory: directory.path) else { return (files, index) }
        return ([packed], Dictionary(uniqueKeysWithValues: packed.tensors.map { ($0.name, 0) }))
    }

    /// The `.gguf` files of a folder, by name.
    private static func ggufFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { ($0 as NSString).pathExtension.lowercased() == ggufExtension && !$0.hasPrefix(".") }
            .sorted().map { directory.appendingPathComponent($0) }
    }

    /// Opens a GGUF llama file: its folder, config, renamed tensors and the file itself.
    private static func openGGUF(_ url: URL) throws
        -> (URL, ModelConfig, [any TensorSource], [String: Int], GGUFFile?) {
        let file = try GGUFFile(url: url)
        let config = try GGUFLlamaConfig.config(of: file)
        let tensors = GGUFLlamaTensors(file: file, headDim: config.headDim)
        return (url.deletingLastPathComponent(), .llama(config), [tensors],
                Dictionary(uniqueKeysWithValues: tensors.tensors.map { ($0.name, 0) }), file)
    }

    /// Opens each distinct shard once and checks that it holds the tensors the index maps to it.
    private static func openShards(index url: URL, directory: URL) throws -> ([SafetensorsFile], [String: Int]) {
        let index = try ShardIndex(url: url)
        var files: [SafetensorsFile] = []
        var fileIndexByShard: [String: Int] = [:]
        for shard in index.shardNames {
            let shardURL = directory.appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: shardURL.path) else {
                throw CheckpointError.missingShard(index: url.path, shard: shard)
            }
            fileIndexByShard[shard] = files.count
            files.append(try SafetensorsFile(url: shardURL))
        }
        var fileIndexByName: [String: Int] = [:]
        for (tensor, shard) in index.weightMap {
            guard let fileIndex = fileIndexByShard[shard], files[fileIndex].contains(tensor) else {
                throw CheckpointError.tensorMissingFromShard(index: url.path, tensor: tensor, shard: shard)
            }
            fileIndexByName[tensor] = fileIndex
        }
        return (files, fileIndexByName)
    }

    /// For a GGUF checkpoint, the file's name of a tensor given by its Hugging Face name and, for the q/k
    /// projections llama.cpp reorders, the stored row of each Hugging Face row; nil otherwise.
    public func ggufStorage(of name: String) -> (tensor: String, storedRow: (@Sendable (Int) -> Int)?)? {
        (files.first as? GGUFLlamaTensors)?.storage(of: name)
    }

    /// For a checkpoint quantized in a packed format, what it holds and how it is read; nil for plain weights.
    public var packedWeights: String? { (files.first as? PackedWeights)?.summary }

    /// What errors about the model name: the GGUF file, or the model folder.
    public var location: String { gguf?.url.path ?? directory.path }

    /// The linear layers in model order (shortcut for `layout.linears`).
    public var linearLayers: [LinearLayer] { layout.linears }

    /// True when the checkpoint has a tensor of that name.
    public func contains(_ name: String) -> Bool { fileIndexByName[name] != nil }

    /// The header entry of `name`.
    public func info(_ name: String) throws -> TensorInfo {
        try file(for: name).info(name)
    }

    /// The bytes a safetensors checkpoint stores for `name`; nil for GGUF, whose tensors are dequantized on reading.
    public func storedBytes(_ name: String) throws -> [UInt8]? {
        guard let file = try file(for: name) as? SafetensorsFile else { return nil }
        return try file.bytes(name)
    }

    /// The tensor widened to `Float`, row-major (F16, BF16, F32, F64).
    public func floats(_ name: String) throws -> [Float] {
        try file(for: name).floats(name)
    }

    /// Rows `rows` of a tensor (first dimension, clamped) widened to `Float`, row-major.
    func floats(_ name: String, rows: Range<Int>) throws -> [Float] {
        try file(for: name).floats(name, rows: rows)
    }

    /// A 2-D tensor as `Matrix<Float>`, in the stored orientation.
    public func matrix(_ name: String) throws -> Matrix<Float> {
        try file(for: name).matrix(name)
    }

    /// A 2-D tensor as `Matrix<Double>`, in the stored orientation.
    public func doubleMatrix(_ name: String) throws -> Matrix<Double> {
        try file(for: name).doubleMatrix(name)
    }

    /// The weight of a linear layer (display name or tensor name) as `[out, in]`;
    /// GPT-2 `Conv1D` weights are transposed here.
    public func loadLinearWeight(_ name: String) throws -> Matrix<Float> {
        guard let layer = layout.linear(named: name) else {
            throw CheckpointError.unknownLinearLayer(directory: directory.path, name: name)
        }
        let stored = try matrix(layer.tensorName)
        return layer.storedTransposed ? stored.transposed : stored
    }

    private func file(for name: String) throws(CheckpointError) -> any TensorSource {
        guard let index = fileIndexByName[name] else { throw .tensorNotFound(source: tensorSource, tensor: name) }
        return files[index]
    }
}
