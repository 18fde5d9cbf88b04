import QuantCore
import Testing
@testable import ModelKit

/// Every architecture's block backward pass against central finite differences of the same forward, in fp64,
/// on two stacked sequences of the tiny fixtures.
@Suite struct BlockBackwardTests {
    /// Rows per sequence and sequences stacked.
    static let length = 5, sequences = 2

    @Test(arguments: ForwardFixtures.tinyModels)
    func gradientsMatchFiniteDifferences(_ name: String) throws {
        let (model, _) = try ForwardFixtures.tiny(name)
        let block = model.blockCount - 1
        let parameters: BlockParameters<Double> = try model.parameters(ofBlock: block)
        var random = SeededGenerator(seed: 17)
        let width = model.checkpoint.config.hiddenSize, rows = Self.length * Self.sequences
        let input = Matrix<Double>(rows: rows, cols: width) { _, _ in random.normal() }
        // L = Σ C ⊙ block(x): its output gradient is C.
        let cotangent = Matrix<Double>(rows: rows, cols: width) { _, _ in random.normal() }
        let loss = { (p: BlockParameters<Double>, x: Matrix<Double>) -> Double in
            let out = model.record(block, x, sequenceLength: Self.length, parameters: p, recording: false).output
            return zip(out.storage, cotangent.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let tape = model.record(block, input, sequenceLength: Self.length, parameters: parameters)
        #expect(tape.output == model.record(block, input, sequenceLength: Self.length, parameters: parameters, recording: false).output)
        let gradients = tape.backward(cotangent)

        var groups: [(String, analytic: [Double], numeric: [Double])] = []
        func check(_ group: String, count: Int, analytic: (Int) -> Double, perturbed: (Int, Double) -> Double) {
            var picks = SeededGenerator(seed: UInt64(groups.count + 1))
            var a: [Double] = [], n: [Double] = []
            for _ in 0..<min(count, 6) {
                let i = Int(picks.next() % UInt64(count))
                let h = 1e-5
                a.append(analytic(i))
                n.append((perturbed(i, h) - perturbed(i, -h)) / (2 * h))
            }
            groups.append((group, a, n))
        }
        for (l, layer) in parameters.layers.enumerated() {
            check("\(layer.name) weight", count: parameters.weights[l].storage.count,
                  analytic: { gradients.parameters.weights[l].storage[$0] },
                  perturbed: { i, h in var p = parameters; p.weights[l].storage[i] += h; return loss(p, input) })
            if let bias = parameters.biases[l] {
                check("\(layer.name) bias", count: bias.count, analytic: { gradients.parameters.biases[l]![$0] },
                      perturbed: { i, h in var p = parameters; p.biases[l]![i] += h; return loss(p, input) })
            }
        }
        for path in parameters.vectors.keys.sorted() {
            check(path, count: parameters.vectors[path]!.count, analytic: { gradients.parameters.vectors[path]![$0] },
                  perturbed: { i, h in var p = parameters; p.vectors[path]![i] += h; return loss(p, input) })
        }
        check("input", count: input.storage.count, analytic: { gradients.input.storage[$0] },
              perturbed: { i, h in var x = input; x.storage[i] += h; return loss(parameters, x) })

        #expect(groups.count >= parameters.layers.count + parameters.vectors.count + 1)
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let inputScale = norm(groups[groups.count - 1].numeric)
        for (group, analytic, numeric) in groups {
            let difference = norm(zip(analytic, numeric).map { $0 - $1 }), scale = norm(numeric)
            if scale < 1e-6 * inputScale {
                // A key bias shifts every score of a softmax row alike: its gradient is zero, and both sides must say so.
                #expect(group.hasSuffix("bias"), "\(name) \(group): the loss does not depend on it")
                #expect(norm(analytic) <= 1e-6 * inputScale, "\(name) \(group): \(norm(analytic)) where the gradient vanishes")
            } else {
                #expect(difference <= 1e-6 * scale, "\(name) \(group): relative error \(difference / scale)")
            }
        }
    }
}
