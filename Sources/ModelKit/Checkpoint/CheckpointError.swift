/// A fault in a model folder as a whole: missing files, a broken shard index, or tensors that do
/// not match the architecture. Faults inside one file are `SafetensorsError` or `ModelConfigError`.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path is not a folder.
    case notADirectory(path: String)
    /// The folder has no `config.json`.
    case missingConfig(directory: String)
    /// The folder has neither `model.safetensors` nor `model.safetensors.index.json`.
    case noWeights(directory: String, hasPyTorchBin: Bool)
    /// The shard index is not valid JSON or lacks a string-valued `weight_map`.
    case invalidIndex(file: String, reason: String)
    /// The index names a shard file that is not in the folder.
    case missingShard(index: String, shard: String)
    /// The index maps a tensor to a shard that does not hold it.
    case tensorMissingFromShard(index: String, tensor: String, shard: String)
    /// No tensor of that name in the checkpoint (the index or the single file).
    case tensorNotFound(source: String, tensor: String)
    /// None of the known name prefixes finds the architecture's first linear layer.
    case unrecognizedTensorNames(directory: String, modelType: String, probe: String, prefixes: [String])
    /// A linear layer the config implies is absent.
    case missingLayerTensor(directory: String, tensor: String)
    /// A linear layer's stored shape differs from what the config implies.
    case unexpectedShape(directory: String, tensor: String, expected: [Int], actual: [Int])
    /// No linear layer of that display or tensor name.
    case unknownLinearLayer(directory: String, name: String)
    /// A folder without `config.json` holds more than one GGUF file, so which one to open is ambiguous.
    case severalGGUFFiles(directory: String, files: [String])
    /// A quantized checkpoint (GPTQ, compressed-tensors, AQLM) whose packed tensors or config do not fit together.
    case packedWeights(directory: String, reason: String)

    public var description: String {
        switch self {
        case let .notADirectory(path):
            "\(path): not a model folder"
        case let .missingConfig(directory):
            "\(directory): no config.json in the model folder"
        case let .noWeights(directory, hasPyTorchBin):
            "\(directory): no model.safetensors or model.safetensors.index.json in the model folder"
                + (hasPyTorchBin ? " (pytorch_model.bin checkpoints must be converted to safetensors first)" : "")
        case let .invalidIndex(file, reason):
            "\(file): invalid shard index: \(reason)"
        case let .missingShard(index, shard):
            "\(index): shard '\(shard)' is listed in the index but missing from the folder"
        case let .tensorMissingFromShard(index, tensor, shard):
            "\(index): tensor '\(tensor)' is mapped to shard '\(shard)', which does not contain it"
        case let .tensorNotFound(source, tensor):
            "\(source): no tensor named '\(tensor)'"
        case let .unrecognizedTensorNames(directory, modelType, probe, prefixes):
            "\(directory): tensor names do not match a \(modelType) model: no '\(probe)' under any of the prefixes "
                + prefixes.map { "'\($0)'" }.joined(separator: ", ")
        case let .missingLayerTensor(directory, tensor):
            "\(directory): the config implies tensor '\(tensor)', which the checkpoint lacks"
        case let .unexpectedShape(directory, tensor, expected, actual):
            "\(directory): tensor '\(tensor)' has shape \(actual), the config implies \(expected)"
        case let .unknownLinearLayer(directory, name):
            "\(directory): no linear layer named '\(name)'"
        case let .severalGGUFFiles(directory, files):
            "\(directory): several GGUF files (\(files.joined(separator: ", "))); give the path of the one to open"
        case let .packedWeights(directory, reason):
            "\(directory): \(reason)"
        }
    }
}
