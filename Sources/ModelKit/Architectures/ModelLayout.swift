/// The linear layers of a checkpoint, in model order, checked against its config.
///
/// The name prefix is detected from the tensors (`bert.` or none, `model.decoder.` or `decoder.`,
/// `transformer.` or none, `model.` for Llama), and every linear the config implies must be present
/// with the implied shape.
public struct ModelLayout: Sendable, Equatable {
    /// The detected tensor name prefix, e.g. `""` for MiniLM, `bert.` for BertForMaskedLM.
    public let prefix: String
    /// Every linear layer of every block, block by block, in forward order within a block.
    public let linears: [LinearLayer]

    /// Builds the layout from the tensor shapes of a checkpoint; `directory` names it in errors.
    public init(config: ModelConfig, tensorShapes: [String: [Int]], directory: String) throws(CheckpointError) {
        let template = BlockTemplate(for: config)
        let first = template.linears[0]
        guard let prefix = template.prefixes.first(where: {
            tensorShapes[template.weightName(prefix: $0, block: 0, linear: first)] != nil
        }) else {
            throw .unrecognizedTensorNames(directory: directory, modelType: config.modelType,
                                           probe: template.weightName(prefix: "", block: 0, linear: first),
                                           prefixes: template.prefixes)
        }
        var linears: [LinearLayer] = []
        for block in 0..<config.layerCount {
            for linear in template.linears {
                let tensorName = template.weightName(prefix: prefix, block: block, linear: linear)
                let layer = LinearLayer(
                    name: "\(block).\(linear.path)", tensorName: tensorName,
                    biasName: Self.biasName(of: tensorName, in: tensorShapes), block: block,
                    outFeatures: linear.outFeatures, inFeatures: linear.inFeatures,
                    storedTransposed: template.storedTransposed)
                guard let shape = tensorShapes[tensorName] else {
                    throw .missingLayerTensor(directory: directory, tensor: tensorName)
                }
                guard shape == layer.storedShape else {
                    throw .unexpectedShape(directory: directory, tensor: tensorName, expected: layer.storedShape, actual: shape)
                }
                linears.append(layer)
            }
        }
        self.prefix = prefix
        self.linears = linears
    }

    /// The layer with that display name (`0.attention.self.query`) or weight tensor name.
    public func linear(named name: String) -> LinearLayer? {
        linears.first { $0.name == name || $0.tensorName == name }
    }

    private static func biasName(of weightName: String, in tensorShapes: [String: [Int]]) -> String? {
        let bias = String(weightName.dropLast(".weight".count)) + ".bias"
        return tensorShapes[bias] != nil ? bias : nil
    }
}
