import QuantCore

/// One block's forward pass, recorded: what each op needs for its backward pass, in order. `backward`
/// walks it in reverse and returns the gradients of the block's parameters and input.
///
/// ```swift
/// let tape = try model.recordBlock(0, x, sequenceLength: 64, parameters: p)
/// let gradients = tape.backward(outputGradient)       // ∂L/∂(weights, biases, norms, input)
/// ```
public final class BlockTape<S: ForwardScalar> {
    /// A recorded op; nodes are the tape's value ids.
    enum Step {
        case linear(layer: Int, input: Int, x: Matrix<S>)
        case layerNorm(input: Int, x: Matrix<S>, weight: String, bias: String, eps: Double)
        case rmsNorm(input: Int, x: Matrix<S>, weight: String, eps: Double)
        case attention(Attention, q: (Int, Matrix<S>), k: (Int, Matrix<S>), v: (Int, Matrix<S>), probabilities: [S])
        case rotary(RotaryEmbedding, input: Int, heads: Int)
        case activation(Activation, input: Int, x: Matrix<S>)
        case add(Int, Int)
        case multiply((Int, Matrix<S>), (Int, Matrix<S>))
        case columns(input: Int, range: Range<Int>, width: Int)
    }

    /// The parameters the pass ran with.
    public let parameters: BlockParameters<S>
    let sequenceLength: Int
    /// Each step with the node of its output.
    private var steps: [(step: Step, output: Int)] = []
    private var nodeCount = 0
    /// The block's output and its node, once the pass has run.
    public internal(set) var output = Matrix<S>(rows: 0, cols: 0)
    var outputNode = -1

    init(parameters: BlockParameters<S>, sequenceLength: Int) {
        self.parameters = parameters
        self.sequenceLength = sequenceLength
    }

    func newNode() -> Int {
        nodeCount += 1
        return nodeCount - 1
    }

    func record(_ step: Step) -> Int {
        let node = newNode()
        steps.append((step, node))
        return node
    }

    /// The gradients of a loss `L` given `∂L/∂output` (`[rows, hidden]`, like the output).
    public func backward(_ outputGradient: Matrix<S>) -> BlockGradients<S> {
        precondition(outputGradient.shape == output.shape, "the output gradient is \(outputGradient.shape), the output \(output.shape)")
        var grads = [Matrix<S>?](repeating: nil, count: nodeCount)
        var result = parameters.zeros
        func accumulate(_ node: Int, _ g: Matrix<S>) {
            guard node >= 0 else { return }
            if grads[node] == nil { grads[node] = g } else { TensorOps.add(&grads[node]!, g) }
        }
        grads[outputNode] = outputGradient
        for (step, out) in steps.reversed() {
            guard let g = grads[out] else { continue }
            grads[out] = nil
            switch step {
            case let .linear(layer, input, x):
                let weight = parameters.weights[layer]
                result.weights[layer] = result.weights[layer] + g.matmul(x, transposeSelf: true)
                if result.biases[layer] != nil { TensorOps.addColumnSums(g, to: &result.biases[layer]!) }
                accumulate(input, g.matmul(weight))
            case let .layerNorm(input, x, weight, bias, eps):
                var dw = result.vectors[weight]!, db = result.vectors[bias]!
                accumulate(input, TensorOps.layerNormBackward(x, weight: parameters.vector(weight), eps: eps, dy: g,
                                                              weightGradient: &dw, biasGradient: &db))
                result.vectors[weight] = dw
                result.vectors[bias] = db
            case let .rmsNorm(input, x, weight, eps):
                var dw = result.vectors[weight]!
                accumulate(input, TensorOps.rmsNormBackward(x, weight: parameters.vector(weight), eps: eps, dy: g, weightGradient: &dw))
                result.vectors[weight] = dw
            case let .attention(attention, q, k, v, probabilities):
                let (dq, dk, dv) = attention.backward(q: q.1, k: k.1, v: v.1, probabilities: probabilities, dOut: g,
                                                      sequenceLength: sequenceLength)
                accumulate(q.0, dq)
                accumulate(k.0, dk)
                accumulate(v.0, dv)
            case let .rotary(rotary, input, heads):
                var dx = g
                rotary.apply(&dx, heads: heads, sequenceLength: sequenceLength, inverse: true)
                accumulate(input, dx)
            case let .activation(activation, input, x):
                accumulate(input, activation.backward(x, dy: g))
            case let .add(a, b):
                accumulate(a, g)
                accumulate(b, g)
            case let .multiply(a, b):
                var da = g, db = g
                TensorOps.multiply(&da, b.1)
                TensorOps.multiply(&db, a.1)
                accumulate(a.0, da)
                accumulate(b.0, db)
            case let .columns(input, range, width):
                var dx = Matrix<S>(rows: g.rows, cols: width)
                for r in 0..<g.rows { for c in range { dx.storage[r * width + c] = g.storage[r * range.count + c - range.lowerBound] } }
                accumulate(input, dx)
            }
        }
        return BlockGradients(parameters: result, input: grads[0] ?? Matrix(rows: output.rows, cols: output.cols))
    }
}
