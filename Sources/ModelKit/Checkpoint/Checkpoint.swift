import Foundation
import QuantCore

/// A Hugging Face model folder: `config.json` plus `model.safetensors` or a sharded set with
/// `model.safetensors.index.json`. Files are memory-mapped once; tensors load by name on request.
///
/// ```swift
/// let checkpoint = try Checkpoint(directory: DemoModel.defaultDirectory)
/// for layer in checkpoint.linearLayers {
///     let w = try checkpoint.loadLinearWeight(layer.name)   // [out, in]
/// }
/// ```
///
/// `init` throws `CheckpointError` (folder-level faults), `ModelConfigError` or `SafetensorsError`.
public final class Checkpoint: Sendable {
    /// The name of the single-file weights.
    public static let singleFileName = "model.safetensors"
    /// The name of the shard index.
    public static let indexFileName = "model.safetensors.index.json"

    /// The model folder.
    public let directory: URL
    /// The parsed `config.json`.
    public let config: ModelConfig
    /// Every tensor of the checkpoint, sorted by name (for a sharded one, those of the index).
    public let tensors: [TensorInfo]
    /// The opened safetensors files: one, or one per shard.
    public let files: [SafetensorsFile]
    /// True when the weights come from a shard index.
    public let isSharded: Bool
    /// The linear layers and the detected name prefix.
    public let layout: ModelLayout

    /// Where each tensor lives: an index into `files`.
    private let fileIndexByName: [String: Int]
    /// The file or index that lists the tensors, for error messages.
    private let tensorSource: String

    /// Opens and validates the folder: config, index, every shard's header, and the linear layout.
    public init(directory: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CheckpointError.notADirectory(path: directory.path)
        }
        self.directory = directory
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw CheckpointError.missingConfig(directory: directory.path)
        }
        config = try ModelConfig.load(from: configURL)

        let indexURL = directory.appendingPathComponent(Self.indexFileName)
        let singleURL = directory.appendingPathComponent(Self.singleFileName)
        if FileManager.default.fileExists(atPath: indexURL.path) {
            (files, fileIndexByName) = try Self.openShards(index: indexURL, directory: directory)
            isSharded = true
            tensorSource = indexURL.path
        } else if FileManager.default.fileExists(atPath: singleURL.path) {
            let file = try SafetensorsFile(url: singleURL)
            files = [file]
            fileIndexByName = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, 0) })
            isSharded = false
            tensorSource = singleURL.path
        } else {
            let bin = directory.appendingPathComponent("pytorch_model.bin")
            let binIndex = directory.appendingPathComponent("pytorch_model.bin.index.json")
            throw CheckpointError.noWeights(
                directory: directory.path,
                hasPyTorchBin: FileManager.default.fileExists(atPath: bin.path)
                    || FileManager.default.fileExists(atPath: binIndex.path))
        }
        let files = files
        tensors = try fileIndexByName.map { name, index in try files[index].info(name) }.sorted { $0.name < $1.name }
        layout = try ModelLayout(config: config,
                                 tensorShapes: Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.shape) }),
                                 directory: directory.path)
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

    /// The linear layers in model order (shortcut for `layout.linears`).
    public var linearLayers: [LinearLayer] { layout.linears }

    /// True when the checkpoint has a tensor of that name.
    public func contains(_ name: String) -> Bool { fileIndexByName[name] != nil }

    /// The header entry of `name`.
    public func info(_ name: String) throws -> TensorInfo {
        try file(for: name).info(name)
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

    private func file(for name: String) throws(CheckpointError) -> SafetensorsFile {
        guard let index = fileIndexByName[name] else { throw .tensorNotFound(source: tensorSource, tensor: name) }
        return files[index]
    }
}
