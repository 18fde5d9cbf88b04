import Testing
@testable import QuantCore

/// The chain rule from ∂L/∂Ŵ to a quantized layer's trainable values, against central finite differences
/// of `dequantized()` in fp64.
@Suite struct TuningGradientTests {
    static let rows = 6, cols = 16

    static func gridLayer() -> QuantizedLayer<Double> {
        var random = SeededGenerator(seed: 3)
        let groups = 2
        let grid = QuantGrid<Double>(bits: 3, rows: rows, scales: (0..<groups * rows).map { _ in 0.05 + 0.1 * random.uniform() },
                                     zeros: (0..<groups * rows).map { _ in Double(Int(random.next() % 8)) },
                                     groupIndex: (0..<cols).map { Int32($0 * groups / cols) })
        let codes = (0..<rows * cols).map { _ in UInt8(random.next() % 8) }
        let outliers = SparseOutliers(entries: [3, 17, 40, 95].map { .init(index: $0, value: random.normal()) })
        return QuantizedLayer(rows: rows, cols: cols, codes: codes, grid: grid, outliers: outliers)
    }

    static func codebookLayer() -> QuantizedLayer<Double> {
        var random = SeededGenerator(seed: 4)
        let m = 2, bits = 3, g = 4
        let codes = (0..<rows * cols / g * m).map { _ in UInt16(random.next() % 8) }
        let books = (0..<m * (1 << bits) * g).map { _ in random.normal() }
        return QuantizedLayer(codebooks: AdditiveCodebooks(rows: rows, cols: cols, codebookCount: m, bits: bits, groupSize: g,
                                                           codes: codes, codebooks: books, scales: (0..<rows).map { _ in 0.5 + random.uniform() }))
    }

    @Test(arguments: [("grid", [TunableGroup.scales, .zeros, .outliers]), ("codebooks", [.scales, .codebooks])])
    func gradientsMatchFiniteDifferences(_ kind: String, _ groups: [TunableGroup]) {
        let layer = kind == "grid" ? Self.gridLayer() : Self.codebookLayer()
        var random = SeededGenerator(seed: 5)
        let upstream = Matrix<Double>(rows: Self.rows, cols: Self.cols) { _, _ in random.normal() }
        let loss = { (l: QuantizedLayer<Double>) in zip(l.dequantized().storage, upstream.storage).reduce(0) { $0 + $1.0 * $1.1 } }
        for group in groups {
            let values = layer.tunable(group)
            #expect(!values.isEmpty, "\(kind) has \(group)")
            let analytic = layer.tunableGradient(group, weightGradient: upstream)
            #expect(analytic.count == values.count)
            for i in values.indices {
                var plus = layer, minus = layer
                var v = values
                v[i] += 1e-6
                plus.setTunable(group, v)
                v[i] -= 2e-6
                minus.setTunable(group, v)
                let numeric = (loss(plus) - loss(minus)) / 2e-6
                #expect(abs(numeric - analytic[i]) <= 1e-7 * max(1, abs(numeric)), "\(kind) \(group)[\(i)]: \(analytic[i]) vs \(numeric)")
            }
        }
        #expect(layer.tunable(.codebooks).isEmpty == (kind == "grid"))
    }
}
