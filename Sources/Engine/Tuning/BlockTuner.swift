import ModelKit
import QuantCore

/// Fine-tunes one block whose layers are quantized: Adam on the chosen continuous parameters, the loss
/// `‖block_q(X) − block_fp(X)‖² / ‖block_fp(X)‖²` over mini-batches of calibration windows, a held-out
/// slice checked after every epoch, and the best parameters on it kept (never worse than before tuning).
struct BlockTuner {
    let model: TransformerModel
    let block: Int
    let options: BlockTuningOptions

    /// What tuning gives back: the layers with their trained values, the block tensors that trained (by
    /// full tensor name), and the summary.
    struct Result {
        var layers: [String: QuantizedLayer<Float>]
        var vectors: [String: [Float]]
        var summary: BlockTuningSummary
    }

    /// A window range of one calibration batch.
    private struct Slice { let batch: Int, windows: Range<Int> }

    /// One trained tensor: a layer's group, a block norm, or a linear's bias.
    private struct Slot {
        enum Target { case layer(String, TunableGroup), norm(path: String, name: String), bias(index: Int, name: String) }
        let target: Target
        var values: [Float]
        var adam: Adam

        mutating func update(_ gradient: [Float]) { adam.update(&values, gradients: gradient) }
    }

    func run(inputs: [CalibrationBatch], targets: [CalibrationBatch], layers: [String: QuantizedLayer<Float>],
             onProgress: (TuningProgress) -> Void, isCancelled: () -> Bool) throws -> Result {
        precondition(inputs.count == targets.count, "one target batch per input batch")
        let clock = Stopwatch()
        var layers = layers
        let base = try model.blockParameters(block)
        var slots = makeSlots(layers: layers, base: base)
        let slices = inputs.indices.flatMap { b in
            stride(from: 0, to: inputs[b].windows, by: options.batchWindows).map { Slice(batch: b, windows: $0..<min($0 + options.batchWindows, inputs[b].windows)) }
        }
        let heldOutCount = slices.count < 2 ? 0 : min(slices.count - 1, Int((Double(slices.count) * options.heldOutFraction).rounded(.up)))
        let training = Array(slices.dropLast(heldOutCount)), heldOut = Array(slices.suffix(heldOutCount))
        let checked = heldOut.isEmpty ? training : heldOut

        func parameters() -> BlockParameters<Float> {
            var p = base
            for (i, layer) in p.layers.enumerated() { if let q = layers[layer.name] { p.weights[i] = q.dequantized() } }
            for slot in slots {
                switch slot.target {
                case .layer: break
                case let .norm(path, _): p.vectors[path] = slot.values
                case let .bias(index, _): p.biases[index] = slot.values
                }
            }
            return p
        }
        func loss(_ slices: [Slice], _ p: BlockParameters<Float>) -> Double {
            var error = 0.0, total = 0.0
            for s in slices {
                let (x, t) = (Self.rows(inputs[s.batch], s.windows), Self.rows(targets[s.batch], s.windows))
                let y = model.block(block, x, sequenceLength: inputs[s.batch].sequenceLength, parameters: p)
                let (e, n) = Self.squaredError(y, t)
                error += e
                total += n
            }
            return error / max(total, .leastNormalMagnitude)
        }

        let before = loss(checked, parameters())
        var best = (loss: before, layers: layers, slots: slots)
        var history: [TuningProgress] = [], step = 0, epochsRun = 0, stale = 0, stop = TuningStop.epochs
        training: for epoch in 1...options.epochs {
            for s in training {
                if isCancelled() { stop = .cancelled; break training }
                let x = Self.rows(inputs[s.batch], s.windows), t = Self.rows(targets[s.batch], s.windows)
                let tape = model.recordBlock(block, x, sequenceLength: inputs[s.batch].sequenceLength, parameters: parameters())
                let (error, total) = Self.squaredError(tape.output, t)
                var seed = tape.output
                let factor = Float(2 / max(total, .leastNormalMagnitude))
                for i in seed.storage.indices { seed.storage[i] = factor * (seed.storage[i] - t.storage[i]) }
                let gradients = tape.backward(seed).parameters
                // Every gradient from this step's values before any of them moves.
                let steps = slots.map { slot -> [Float] in
                    switch slot.target {
                    case let .layer(name, group):
                        let index = base.layers.firstIndex { $0.name == name }!
                        return layers[name]!.tunableGradient(group, weightGradient: gradients.weights[index])
                    case let .norm(path, _): return gradients.vectors[path]!
                    case let .bias(index, _): return gradients.biases[index]!
                    }
                }
                for i in slots.indices {
                    slots[i].update(steps[i])
                    if case let .layer(name, group) = slots[i].target { layers[name]!.setTunable(group, slots[i].values) }
                }
                step += 1
                let progress = TuningProgress(block: block, epoch: epoch, epochs: options.epochs, step: step,
                                              loss: error / max(total, .leastNormalMagnitude), heldOutLoss: nil, elapsed: clock.seconds)
                history.append(progress)
                onProgress(progress)
            }
            epochsRun = epoch
            let checkedLoss = loss(checked, parameters())
            let progress = TuningProgress(block: block, epoch: epoch, epochs: options.epochs, step: step,
                                          loss: history.last?.loss ?? checkedLoss, heldOutLoss: checkedLoss, elapsed: clock.seconds)
            history.append(progress)
            onProgress(progress)
            if checkedLoss < best.loss {
                best = (checkedLoss, layers, slots)
                stale = 0
            } else if !heldOut.isEmpty {
                stale += 1
                if stale > options.patience { stop = .earlyStop; break }
            }
        }
        var vectors: [String: [Float]] = [:]
        for slot in best.slots {
            switch slot.target {
            case .layer: break
            case let .norm(_, name), let .bias(_, name): vectors[name] = slot.values
            }
        }
        if best.loss >= before { vectors = [:] }
        let summary = BlockTuningSummary(block: block, before: before, after: best.loss, epochsRun: epochsRun, steps: step, stop: stop,
                                         seconds: clock.seconds, history: history)
        return Result(layers: best.layers, vectors: vectors, summary: summary)
    }

    /// Adam slots for the chosen groups, each with a step size relative to its tensor's RMS.
    private func makeSlots(layers: [String: QuantizedLayer<Float>], base: BlockParameters<Float>) -> [Slot] {
        var slots: [Slot] = []
        func add(_ target: Slot.Target, _ values: [Float]) {
            guard !values.isEmpty else { return }
            let rms = (values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(values.count)).squareRoot()
            slots.append(Slot(target: target, values: values,
                              adam: Adam(count: values.count, learningRate: options.learningRate * (rms > 0 ? rms : 1))))
        }
        for name in layers.keys.sorted() {
            for group in options.groups where group.isLayerGroup { add(.layer(name, group), layers[name]!.tunable(group)) }
        }
        let names = model.vectorNames(ofBlock: block)
        if options.groups.contains(.norms) {
            for path in base.vectors.keys.sorted() { add(.norm(path: path, name: names.norms[path]!), base.vectors[path]!) }
        }
        if options.groups.contains(.biases) {
            for (i, layer) in base.layers.enumerated() {
                if let bias = base.biases[i], let name = names.biases[layer.name] { add(.bias(index: i, name: name), bias) }
            }
        }
        return slots
    }

    /// The rows of `windows` of a batch.
    private static func rows(_ batch: CalibrationBatch, _ windows: Range<Int>) -> Matrix<Float> {
        let rowsPerWindow = batch.sequenceLength * batch.hidden.cols
        return Matrix(rows: windows.count * batch.sequenceLength, cols: batch.hidden.cols,
                      storage: Array(batch.hidden.storage[windows.lowerBound * rowsPerWindow..<windows.upperBound * rowsPerWindow]))
    }

    /// `‖y − t‖²` and `‖t‖²`, in fp64.
    private static func squaredError(_ y: Matrix<Float>, _ t: Matrix<Float>) -> (Double, Double) {
        var error = 0.0, total = 0.0
        for i in y.storage.indices {
            let d = Double(y.storage[i]) - Double(t.storage[i])
            error += d * d
            total += Double(t.storage[i]) * Double(t.storage[i])
        }
        return (error, total)
    }
}
