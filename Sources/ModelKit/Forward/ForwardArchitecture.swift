import QuantCore

/// One architecture's forward pass. Built from a checkpoint, it checks every tensor it will read and
/// keeps the small ones (final norms, projections); blocks get their weights through a `BlockGraph`.
protocol ForwardArchitecture: Sendable {
    /// False for encoders (their head returns hidden states).
    var isCausalLM: Bool { get }
    /// Rows of the token embedding table.
    var vocabularySize: Int { get }
    /// The length of the learned position table, nil for rotary positions.
    var maxSequenceLength: Int? { get }
    /// The 1-D tensors of every block (norms), as paths inside the block, with their lengths.
    var blockVectors: [(path: String, count: Int)] { get }
    /// The LM head table `[vocab, width]` (the tied embedding when the file has no `lm_head.weight`);
    /// nil for encoders.
    var lmHead: String? { get }

    /// Token ids → the hidden states entering block 0; ids or positions outside their tables read zero rows.
    func embed(_ tokens: [Int], store: TensorStore) throws(ForwardError) -> Matrix<Float>
    /// Block `index` on `hidden`, written with `graph`'s ops (so the same code records a pass for training);
    /// stops with `BlockStop` once the graph's `stopAfter` layer has seen its input.
    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ graph: BlockGraph<S>) throws(BlockStop) -> Tensor<S>
    /// After the last block, before the LM head: final norm and output projection (identity for encoders).
    func finalHidden(_ hidden: Matrix<Float>) -> Matrix<Float>
}

/// The LM head table of a decoder: `lm_head.weight` when stored, else the tied token embedding.
func lmHeadName(store: TensorStore, embedding: String) -> String {
    store.checkpoint.contains("lm_head.weight") ? "lm_head.weight" : embedding
}

/// The activation called `name` in `directory`'s config, or an unsupported-architecture error.
func activation(_ name: String, key: String, directory: String) throws(ForwardError) -> Activation {
    guard let activation = Activation(name: name) else {
        throw .unsupportedArchitecture(
            directory: directory,
            reason: "\(key) '\(name)' (supported: \(Activation.supportedNames.joined(separator: ", ")))")
    }
    return activation
}

/// The supported forward passes behind one switch, so that a block pass runs code specialised for its
/// architecture and scalar type (a generic call through `any ForwardArchitecture` would not be).
enum ForwardPass: Sendable {
    case bert(BertForward), llama(LlamaForward), opt(OPTForward), gpt2(GPT2Forward)

    var architecture: any ForwardArchitecture {
        switch self {
        case let .bert(a): a
        case let .llama(a): a
        case let .opt(a): a
        case let .gpt2(a): a
        }
    }

    func block<S: ForwardScalar>(_ index: Int, _ hidden: Tensor<S>, _ graph: BlockGraph<S>) throws(BlockStop) -> Tensor<S> {
        switch self {
        case let .bert(a): try a.block(index, hidden, graph)
        case let .llama(a): try a.block(index, hidden, graph)
        case let .opt(a): try a.block(index, hidden, graph)
        case let .gpt2(a): try a.block(index, hidden, graph)
        }
    }
}
