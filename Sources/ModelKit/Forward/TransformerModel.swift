import Foundation
import QuantCore

/// An fp32 CPU forward pass over a checkpoint (BERT, Llama/Mistral/Qwen2, OPT, GPT-2), block by block,
/// with a hook on every linear's input for calibration and in-memory weight replacement for fake-quant
/// evaluation.
///
/// ```swift
/// let model = try TransformerModel(checkpoint: try Checkpoint(directory: folder))
/// var x = model.embed(tokens)
/// for i in 0..<model.blockCount {
///     x = model.block(i, x) { layer, input in accumulate(layer.name, input) }   // input: [seq, in]
///     model.releaseBlock(i)
/// }
/// let logits = model.head(x)                                                    // [seq, vocab]
/// ```
///
/// Weights are read lazily from the memory-mapped checkpoint: a block's weights are widened to fp32 when
/// it first runs and cached until `releaseBlock`; embedding and LM-head tables are read row by row.
/// The caches are guarded by a lock, so one model can be used from several tasks.
public final class TransformerModel: @unchecked Sendable {
    /// The checkpoint the weights come from.
    public let checkpoint: Checkpoint
    /// The linear layers in model order (`checkpoint.linearLayers`).
    public let linearLayers: [LinearLayer]
    /// The number of transformer blocks.
    public let blockCount: Int

    private let forwardPass: ForwardPass
    private var architecture: any ForwardArchitecture { forwardPass.architecture }
    private let store: TensorStore
    private let layersByBlock: [[LinearLayer]]
    /// Per block: path inside the block → full tensor name, of the norms.
    private let vectorNames: [[String: String]]
    private let lock = NSLock()
    private var cache: [Int: BlockWeights] = [:]
    private var replacements: [String: Matrix<Float>] = [:]
    private var adjustments: [String: any LinearOutputAdjustment] = [:]
    /// Replaced norms and linear biases by full tensor name (block fine-tuning trains them).
    private var vectorReplacements: [String: [Float]] = [:]
    /// LM-head rows × width read per gemm, bounding the head's memory on large vocabularies.
    var headChunkElements = 1 << 22

    /// Builds the forward pass, checking every tensor it will read (present, floating point, shaped as the
    /// config implies). Throws `ForwardError` for unsupported settings or malformed tensors.
    public init(checkpoint: Checkpoint) throws {
        self.checkpoint = checkpoint
        let store = TensorStore(checkpoint: checkpoint)
        self.store = store
        switch checkpoint.config {
        case let .bert(c): forwardPass = .bert(try BertForward(config: c, store: store))
        case let .llama(c): forwardPass = .llama(try LlamaForward(config: c, store: store))
        case let .opt(c): forwardPass = .opt(try OPTForward(config: c, store: store))
        case let .gpt2(c): forwardPass = .gpt2(try GPT2Forward(config: c, store: store))
        }
        let architecture = forwardPass.architecture
        linearLayers = checkpoint.linearLayers
        blockCount = checkpoint.config.layerCount
        let layersByBlock = (0..<blockCount).map { block in checkpoint.linearLayers.filter { $0.block == block } }
        self.layersByBlock = layersByBlock
        let blockPath = BlockTemplate(for: checkpoint.config).blockPath
        var vectorNames: [[String: String]] = []
        for block in 0..<blockCount {
            var names: [String: String] = [:]
            for (path, count) in architecture.blockVectors {
                let name = store.name("\(blockPath)\(block).\(path)")
                try store.require(name, shape: [count])
                names[path] = name
            }
            for layer in layersByBlock[block] {
                // The weight too: an integer or boolean one is refused here, not when a block first loads it.
                try store.require(layer.tensorName, shape: layer.storedTransposed ? [layer.inFeatures, layer.outFeatures]
                                                                                  : [layer.outFeatures, layer.inFeatures])
                if let bias = layer.biasName { try store.require(bias, shape: [layer.outFeatures]) }
            }
            vectorNames.append(names)
        }
        self.vectorNames = vectorNames
    }

    /// False for encoders (BERT), whose head returns hidden states.
    public var isCausalLM: Bool { architecture.isCausalLM }

    /// The longest sequence the learned position table holds; nil for rotary positions (Llama family).
    public var maxSequenceLength: Int? { architecture.maxSequenceLength }

    /// Throws when `tokens` is empty, holds an id outside the vocabulary, or is longer than
    /// `maxSequenceLength`; `embed` throws for the last two (an empty sequence embeds to no rows).
    public func validate(_ tokens: [Int]) throws(ForwardError) {
        guard !tokens.isEmpty else { throw .emptySequence }
        try checkTable(tokens)
    }

    /// Every id inside the vocabulary and every position inside the learned position table.
    private func checkTable(_ tokens: [Int]) throws(ForwardError) {
        let vocabulary = architecture.vocabularySize
        if let position = tokens.firstIndex(where: { !(0..<vocabulary).contains($0) }) {
            throw .tokenOutOfRange(position: position, token: tokens[position], vocabularySize: vocabulary)
        }
        if let maximum = maxSequenceLength, tokens.count > maximum {
            throw .sequenceTooLong(length: tokens.count, maximum: maximum)
        }
    }

    /// Token ids → the hidden states entering block 0, `[seq, hidden]`. Throws for an id outside the
    /// vocabulary or a sequence longer than the position table (`validate`), naming both.
    public func embed(_ tokens: [Int]) throws(ForwardError) -> Matrix<Float> {
        try checkTable(tokens)
        return try architecture.embed(tokens, store: store)
    }

    /// Sequences of one length embedded and stacked row-wise, `[count · length, hidden]`, for `block` with
    /// `sequenceLength: length`: one pass over many windows, with gemms that many times taller.
    public func embed(batch sequences: [[Int]]) throws(ForwardError) -> Matrix<Float> {
        precondition(Set(sequences.map(\.count)).count <= 1, "a batch holds sequences of one length")
        var parts: [Matrix<Float>] = []
        for sequence in sequences { parts.append(try embed(sequence)) }
        guard let first = parts.first else { return Matrix(rows: 0, cols: checkpoint.config.hiddenSize) }
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: first.cols, storage: parts.flatMap(\.storage))
    }

    /// Runs block `index` on `hidden` (`[seq, hidden]`, or several sequences of `sequenceLength` rows stacked,
    /// each attending only to itself: what `embed(batch:)` gives); `observe` sees every linear's input
    /// `[rows, in]` just before the linear runs, in the block's layout order. Throws only when the checkpoint
    /// changed since the model was built (`unreadableTensor`).
    public func block(_ index: Int, _ hidden: Matrix<Float>, sequenceLength: Int? = nil,
                      observe: ((LinearLayer, Matrix<Float>) -> Void)? = nil) throws(ForwardError) -> Matrix<Float> {
        guard let out = try pass(index, hidden, sequenceLength: sequenceLength, observe: observe, stopAfter: nil) else {
            preconditionFailure("a block pass without a stop layer stopped")
        }
        return out
    }

    /// Runs block `index` only as far as `layer`'s input: `observe` sees the inputs of every linear up to and
    /// including `layer`, and the rest of the block is skipped (calibration of a block's first linears).
    public func observeInputs(_ index: Int, _ hidden: Matrix<Float>, sequenceLength: Int? = nil, through layer: String,
                              observe: @escaping (LinearLayer, Matrix<Float>) -> Void) throws(ForwardError) {
        precondition(layersByBlock[index].contains { $0.name == layer }, "'\(layer)' is not a linear of block \(index)")
        _ = try pass(index, hidden, sequenceLength: sequenceLength, observe: observe, stopAfter: layer)
    }

    /// The block's output, or nil when the pass stopped at `stopAfter`'s input.
    private func pass(_ index: Int, _ hidden: Matrix<Float>, sequenceLength: Int?,
                      observe: ((LinearLayer, Matrix<Float>) -> Void)?, stopAfter: String?) throws(ForwardError) -> Matrix<Float>? {
        precondition((0..<blockCount).contains(index), "block \(index) outside 0..<\(blockCount)")
        guard hidden.rows > 0 else { return hidden }
        let sequenceLength = sequenceLength ?? hidden.rows
        precondition(sequenceLength > 0 && hidden.rows % sequenceLength == 0, "\(hidden.rows) rows are not whole sequences of \(sequenceLength)")
        let adjusted = lock.withLock { adjustments }
        let graph = BlockGraph(parameters: try parameters(ofBlock: index), sequenceLength: sequenceLength, observe: observe,
                               adjustments: adjusted, stopAfter: stopAfter)
        do { return try forwardPass.block(index, graph.input(hidden), graph).value } catch { return nil }
    }

    /// Block `index`'s parameters as its forward pass reads them: replaced weights where set, else the
    /// checkpoint's, and its norms; converted when `S` is not `Float`.
    func parameters<S: ForwardScalar>(ofBlock index: Int) throws(ForwardError) -> BlockParameters<S> {
        precondition((0..<blockCount).contains(index), "block \(index) outside 0..<\(blockCount)")
        let weights = try blockWeights(index)
        let (replaced, replacedVectors) = lock.withLock { (replacements, vectorReplacements) }
        let layers = layersByBlock[index]
        let resolved = layers.indices.map { i in
            guard let weight = replaced[layers[i].name] ?? weights.weights[i] else {
                fatalError("linear '\(layers[i].name)' has neither a replacement nor its checkpoint weight loaded")
            }
            return weight
        }
        let biases = layers.indices.map { i in layers[i].biasName.flatMap { replacedVectors[$0] } ?? weights.biases[i] }
        var vectors = weights.vectors
        for (path, name) in vectorNames[index] { if let v = replacedVectors[name] { vectors[path] = v } }
        let float = BlockParameters(layers: layers, weights: resolved, biases: biases, vectors: vectors)
        return float as? BlockParameters<S> ?? float.converted()
    }

    /// Block `index` on `hidden` with `parameters` in place of the model's, its pass recorded on the returned
    /// tape (whose `output` is the block's output) when `recording`.
    func record<S: ForwardScalar>(_ index: Int, _ hidden: Matrix<S>, sequenceLength: Int, parameters: BlockParameters<S>,
                                  recording: Bool = true) -> BlockTape<S> {
        precondition(sequenceLength > 0 && hidden.rows % sequenceLength == 0, "\(hidden.rows) rows are not whole sequences of \(sequenceLength)")
        let tape = BlockTape(parameters: parameters, sequenceLength: sequenceLength)
        let graph = BlockGraph(parameters: parameters, sequenceLength: sequenceLength, tape: recording ? tape : nil)
        do {
            let out = try forwardPass.block(index, graph.input(hidden), graph)
            tape.output = out.value
            tape.outputNode = out.node
        } catch { preconditionFailure("a block pass without a stop layer stopped") }
        return tape
    }

    /// Block `index`'s parameters as the checkpoint stores them, whatever is replaced: the full-precision block.
    public func checkpointParameters(ofBlock index: Int) throws(ForwardError) -> BlockParameters<Float> {
        precondition((0..<blockCount).contains(index), "block \(index) outside 0..<\(blockCount)")
        let layers = layersByBlock[index]
        let loaded = try BlockWeights(layers: layers, vectorNames: vectorNames[index], store: store, skipping: [])
        return BlockParameters(layers: layers, weights: loaded.weights.map { $0! }, biases: loaded.biases, vectors: loaded.vectors)
    }

    /// Block `index`'s parameters (fp32), to train and pass back to `recordBlock` / `block(_:_:sequenceLength:parameters:)`.
    public func blockParameters(_ index: Int) throws(ForwardError) -> BlockParameters<Float> {
        try parameters(ofBlock: index)
    }

    /// Block `index` on `hidden` (stacked sequences of `sequenceLength` rows) with `parameters`, recorded for
    /// `BlockTape.backward`: the training forward, the same code as `block`.
    public func recordBlock(_ index: Int, _ hidden: Matrix<Float>, sequenceLength: Int, parameters: BlockParameters<Float>) -> BlockTape<Float> {
        record(index, hidden, sequenceLength: sequenceLength, parameters: parameters)
    }

    /// Block `index` on `hidden` with `parameters` in place of the model's, nothing recorded.
    public func block(_ index: Int, _ hidden: Matrix<Float>, sequenceLength: Int, parameters: BlockParameters<Float>) -> Matrix<Float> {
        record(index, hidden, sequenceLength: sequenceLength, parameters: parameters, recording: false).output
    }

    /// After the last block: causal LMs give logits `[seq, vocab]`, encoders the final hidden states
    /// `[seq, hidden]`.
    public func head(_ hidden: Matrix<Float>) throws(ForwardError) -> Matrix<Float> {
        guard hidden.rows > 0 else { return Matrix(rows: 0, cols: isCausalLM ? architecture.vocabularySize : hidden.cols) }
        let final = architecture.finalHidden(hidden)
        guard let table = architecture.lmHead else { return final }
        return try logits(final, table: table)
    }

    /// `embed` → every block → `head`. An empty sequence gives an empty result.
    public func forward(_ tokens: [Int], observe: ((LinearLayer, Matrix<Float>) -> Void)? = nil) throws(ForwardError) -> Matrix<Float> {
        try head(lastHidden(tokens, observe: observe))
    }

    /// Sequences of one length through every block at once (stacked as `embed(batch:)` does),
    /// `[count · length, hidden]`; `head` on one sequence's rows gives that sequence's logits.
    public func lastHidden(batch sequences: [[Int]]) throws(ForwardError) -> Matrix<Float> {
        var x = try embed(batch: sequences)
        let length = max(sequences.first?.count ?? 1, 1)
        for index in 0..<blockCount { x = try block(index, x, sequenceLength: length) }
        return x
    }

    /// The mean over tokens of the last block's output, L2-normalised (sentence-transformers' pipeline for
    /// all-MiniLM-L6-v2; for an encoder that output is what `head` returns).
    public func sentenceEmbedding(_ tokens: [Int]) throws(ForwardError) -> [Float] {
        Self.sentenceEmbedding(ofLastHidden: try lastHidden(tokens, observe: nil))
    }

    /// The sentence embedding of one sequence's last-block output `[seq, hidden]`.
    public static func sentenceEmbedding(ofLastHidden hidden: Matrix<Float>) -> [Float] {
        let mean = TensorOps.meanOfRows(hidden)
        let norm = mean.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return mean.map { Float(Double($0) / max(norm, 1e-12)) }
    }

    /// Replaces one linear's weight `[out, in]` in memory, by `LinearLayer.name`, until `restoreWeight`.
    public func replaceWeight(_ layerName: String, with weight: Matrix<Float>) throws {
        let layer = try linear(named: layerName)
        guard weight.shape == layer.shape else {
            throw ForwardError.replacementShape(layer: layerName, expected: layer.shape, actual: weight.shape)
        }
        guard weight.allFinite else { throw ForwardError.replacementNotFinite(layer: layerName) }
        lock.withLock {
            replacements[layerName] = weight
            // The checkpoint copy is not read while replaced; drop it so a block holds one copy of each weight.
            if cache[layer.block] != nil, let i = layersByBlock[layer.block].firstIndex(of: layer) {
                cache[layer.block]!.weights[i] = nil
            }
        }
    }

    /// The full tensor names of block `index`'s norms by path inside the block, and of its linears' biases by
    /// layer name: what `replaceVector` takes.
    public func vectorNames(ofBlock index: Int) -> (norms: [String: String], biases: [String: String]) {
        (vectorNames[index], Dictionary(uniqueKeysWithValues: layersByBlock[index].compactMap { l in l.biasName.map { (l.name, $0) } }))
    }

    /// Replaces a block's norm weight or bias, or a linear's bias, by full tensor name (see `vectorNames`),
    /// until `restoreVector`.
    public func replaceVector(_ name: String, with values: [Float]) throws {
        let known = vectorNames.contains { $0.values.contains(name) } || linearLayers.contains { $0.biasName == name }
        guard known else { throw ForwardError.unknownBlockTensor(name: name) }
        let expected = try store.checkpoint.info(name).shape
        guard expected == [values.count] else {
            throw ForwardError.replacementShape(layer: name, expected: expected, actual: [values.count])
        }
        guard values.allSatisfy(\.isFinite) else { throw ForwardError.replacementNotFinite(layer: name) }
        lock.withLock { vectorReplacements[name] = values }
    }

    /// Restores the checkpoint's values of a tensor `replaceVector` replaced.
    public func restoreVector(_ name: String) {
        _ = lock.withLock { vectorReplacements.removeValue(forKey: name) }
    }

    /// Restores the checkpoint's weight of one linear.
    public func restoreWeight(_ layerName: String) throws {
        _ = try linear(named: layerName)
        _ = lock.withLock { replacements.removeValue(forKey: layerName) }
    }

    /// Installs (or, with nil, removes) an adjustment of one linear's output, by `LinearLayer.name`: it
    /// sees every `x · Wᵀ` of that layer (before the bias) and may change it. Layers without one run the
    /// plain gemm.
    public func setOutputAdjustment(_ layerName: String, _ adjustment: (any LinearOutputAdjustment)?) throws {
        _ = try linear(named: layerName)
        lock.withLock { adjustments[layerName] = adjustment }
    }

    /// Drops the cached fp32 weights of block `index` (replaced weights are kept); the next run reloads them.
    public func releaseBlock(_ index: Int) {
        _ = lock.withLock { cache.removeValue(forKey: index) }
    }

    /// The number of blocks whose weights are cached.
    public var cachedBlockCount: Int { lock.withLock { cache.count } }

    func lastHidden(_ tokens: [Int], observe: ((LinearLayer, Matrix<Float>) -> Void)?) throws(ForwardError) -> Matrix<Float> {
        var x = try embed(tokens)
        for index in 0..<blockCount { x = try block(index, x, observe: observe) }
        return x
    }

    private func linear(named name: String) throws(ForwardError) -> LinearLayer {
        guard let layer = linearLayers.first(where: { $0.name == name }) else { throw .unknownLayer(name: name) }
        return layer
    }

    /// The block's cached weights, loading the block (or the checkpoint weights of restored linears) first.
    private func blockWeights(_ index: Int) throws(ForwardError) -> BlockWeights {
        let layers = layersByBlock[index]
        let (cached, replaced) = lock.withLock { (cache[index], Set(replacements.keys)) }
        guard var weights = cached else {
            let loaded = try BlockWeights(layers: layers, vectorNames: vectorNames[index], store: store, skipping: replaced)
            lock.withLock { cache[index] = loaded }
            return loaded
        }
        let missing = layers.indices.filter { weights.weights[$0] == nil && !replaced.contains(layers[$0].name) }
        guard !missing.isEmpty else { return weights }
        for i in missing { weights.weights[i] = try BlockWeights.load(layers[i], store) }
        lock.withLock { cache[index] = weights }
        return weights
    }

    /// `hidden · tableᵀ`, reading the `[vocab, width]` table a chunk of rows at a time.
    private func logits(_ hidden: Matrix<Float>, table: String) throws(ForwardError) -> Matrix<Float> {
        let vocabulary = architecture.vocabularySize, width = hidden.cols
        var out = Matrix<Float>(rows: hidden.rows, cols: vocabulary)
        let chunk = max(1, headChunkElements / max(width, 1))
        for start in stride(from: 0, to: vocabulary, by: chunk) {
            let rows = try store.rows(table, start..<min(vocabulary, start + chunk))
            hidden.storage.withUnsafeBufferPointer { h in
                out.storage.withUnsafeMutableBufferPointer { o in
                    rows.withUnsafeBufferPointer { w in
                        Float.gemm(transA: false, transB: true, m: hidden.rows, n: rows.count / width, k: width,
                                   alpha: 1, a: h.baseAddress!, lda: width, b: w.baseAddress!, ldb: width,
                                   beta: 0, c: o.baseAddress! + start, ldc: vocabulary)
                    }
                }
            }
        }
        return out
    }
}
