import QuantCore

/// A value inside a block's forward pass: the matrix and, when a tape records the pass, its node on the tape.
struct Tensor<S: ForwardScalar> {
    var value: Matrix<S>
    /// The node on the tape; -1 when nothing records.
    let node: Int
}

/// What a block's forward pass is written against: its parameters and the ops it may use. Every op
/// computes its value; with a tape, it also records what its backward pass needs. The evaluation forward
/// and the training forward are this one code path.
struct BlockGraph<S: ForwardScalar> {
    let parameters: BlockParameters<S>
    /// Rows per sequence: the hidden states may stack several sequences of this length.
    let sequenceLength: Int
    /// Sees every linear's input before the linear runs.
    var observe: ((LinearLayer, Matrix<S>) -> Void)? = nil
    /// Output adjustments by layer name (fp32 evaluation only; a recorded pass has none).
    var adjustments: [String: any LinearOutputAdjustment] = [:]
    /// The layer after whose input the pass stops (the rest of the block is not needed); nil runs it all.
    var stopAfter: String? = nil
    /// Records the pass for `BlockTape.backward`; nil for a plain forward.
    var tape: BlockTape<S>? = nil

    private func node(_ step: @autoclosure () -> BlockTape<S>.Step) -> Int {
        guard let tape else { return -1 }
        return tape.record(step())
    }

    /// The block's input.
    func input(_ x: Matrix<S>) -> Tensor<S> {
        Tensor(value: x, node: tape?.newNode() ?? -1)
    }

    /// The block's `index`-th linear on `x` (`[rows, in]`): `x · Wᵀ` (changed by the layer's adjustment,
    /// if any) plus the bias.
    func linear(_ index: Int, _ x: Tensor<S>) throws(BlockStop) -> Tensor<S> {
        let layer = parameters.layers[index]
        observe?(layer, x.value)
        if layer.name == stopAfter { throw BlockStop() }
        let weight = parameters.weights[index], bias = parameters.biases[index]
        var y: Matrix<S>
        if let adjustment = adjustments[layer.name], var plain = x.value.matmul(weight, transposeOther: true) as? Matrix<Float>,
           let input = x.value as? Matrix<Float> {
            precondition(tape == nil, "an output adjustment cannot be recorded for training")
            adjustment.adjust(&plain, input: input)
            y = plain as! Matrix<S>
            if let bias { TensorOps.addRowVector(&y, bias) }
        } else {
            y = TensorOps.linear(x.value, weight, bias: bias)
        }
        return Tensor(value: y, node: node(.linear(layer: index, input: x.node, x: x.value)))
    }

    func layerNorm(_ x: Tensor<S>, weight: String, bias: String, eps: Double) -> Tensor<S> {
        let y = TensorOps.layerNorm(x.value, weight: parameters.vector(weight), bias: parameters.vector(bias), eps: eps)
        return Tensor(value: y, node: node(.layerNorm(input: x.node, x: x.value, weight: weight, bias: bias, eps: eps)))
    }

    func rmsNorm(_ x: Tensor<S>, weight: String, eps: Double) -> Tensor<S> {
        let y = TensorOps.rmsNorm(x.value, weight: parameters.vector(weight), eps: eps)
        return Tensor(value: y, node: node(.rmsNorm(input: x.node, x: x.value, weight: weight, eps: eps)))
    }

    func attention(_ attention: Attention, q: Tensor<S>, k: Tensor<S>, v: Tensor<S>) -> Tensor<S> {
        let (y, probabilities) = attention.forward(q: q.value, k: k.value, v: v.value, sequenceLength: sequenceLength,
                                                   keepingProbabilities: tape != nil)
        return Tensor(value: y, node: node(.attention(attention, q: (q.node, q.value), k: (k.node, k.value), v: (v.node, v.value),
                                                      probabilities: probabilities)))
    }

    func rotary(_ rotary: RotaryEmbedding, _ x: Tensor<S>, heads: Int) -> Tensor<S> {
        var y = x.value
        rotary.apply(&y, heads: heads, sequenceLength: sequenceLength)
        return Tensor(value: y, node: node(.rotary(rotary, input: x.node, heads: heads)))
    }

    func activation(_ activation: Activation, _ x: Tensor<S>) -> Tensor<S> {
        var y = x.value
        activation.apply(&y)
        return Tensor(value: y, node: node(.activation(activation, input: x.node, x: x.value)))
    }

    func add(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        var y = a.value
        TensorOps.add(&y, b.value)
        return Tensor(value: y, node: node(.add(a.node, b.node)))
    }

    func multiply(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        var y = a.value
        TensorOps.multiply(&y, b.value)
        return Tensor(value: y, node: node(.multiply((a.node, a.value), (b.node, b.value))))
    }

    /// Columns `range` of `x` (splits GPT-2's fused q|k|v output).
    func columns(_ x: Tensor<S>, _ range: Range<Int>) -> Tensor<S> {
        Tensor(value: TensorOps.columns(x.value, range), node: node(.columns(input: x.node, range: range, width: x.value.cols)))
    }
}

/// Ends a block's pass early: the layer it was run for has seen its input.
struct BlockStop: Error {}
