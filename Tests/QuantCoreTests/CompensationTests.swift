import Testing
@testable import QuantCore

@Suite struct CompensationTests {
    func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, scale: Double = 1) -> Matrix<Float> {
        var rng = SeededGenerator(seed: seed)
        return Matrix(rows: rows, cols: cols) { _, _ in Float(rng.normal() * scale) }
    }

    /// Inputs with a few heavy channels that move from position to position.
    func activations(_ positions: Int, _ channels: Int, seed: UInt64) -> Matrix<Float> {
        var rng = SeededGenerator(seed: seed)
        var x = randomMatrix(positions, channels, seed: seed &+ 1)
        for p in 0..<positions {
            for _ in 0..<6 { x[p, Int(rng.next() % UInt64(channels))] *= 12 }
        }
        return x
    }

    /// A weight and a coarse quantized copy (rounded to 0.25), so the residual is dense and bounded.
    func weightPair(_ out: Int, _ inputs: Int, seed: UInt64) -> (Matrix<Float>, Matrix<Float>) {
        let w = randomMatrix(out, inputs, seed: seed, scale: 0.3)
        var q = w
        for i in q.storage.indices { q.storage[i] = (w.storage[i] * 4).rounded(.toNearestOrEven) / 4 }
        return (w, q)
    }

    @Test func scaleSearchMatchesBruteForce() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<12 {
            var row = (0..<97).map { _ in Float(rng.normal() * 0.02) }
            if trial % 3 == 0 { row[5] = 0.4 }                      // an outlier stretches max|r|
            if trial % 4 == 1 { row[50] = -0.3 }
            // Brute force: every candidate coded and measured on its own, first minimum wins.
            let m = row.map(abs).max()! / 7
            var best: Float = 0, bestError = Float.infinity
            for i in 0..<32 {
                let s = m / 32 + (m - m / 32) / 31 * Float(i)
                let error = row.map { v -> Float in
                    let q = min(max((v / s).rounded(.toNearestOrEven), -7), 7)
                    return (v - q * s) * (v - q * s)
                }.reduce(0, +) / Float(row.count)
                if error < bestError { best = s; bestError = error }
            }
            let found = row.withUnsafeBufferPointer { ResidualScaleSearch.scale(for: $0) }
            #expect(found == best, "trial \(trial)")
            let chosenError = row.withUnsafeBufferPointer { ResidualScaleSearch.meanSquaredError($0, scale: found) }
            let atMaximum = row.withUnsafeBufferPointer { ResidualScaleSearch.meanSquaredError($0, scale: m) }
            #expect(chosenError <= atMaximum)
        }
    }

    @Test func allZeroRowGetsZeroScaleAndZeroCodes() {
        let r = Matrix<Float>(rows: 3, cols: 4, storage: [0, 0, 0, 0, 1, -2, 0.5, 0, 0, 0, 0, 0])
        let packed = PackedResidual(residual: r)
        #expect(packed.scales[0] == 0 && packed.scales[2] == 0 && packed.scales[1] > 0)
        #expect(packed.dequantized().allFinite)
        #expect((0..<4).allSatisfy { packed.code(row: 0, channel: $0) == 0 && packed.code(row: 2, channel: $0) == 0 })
    }

    @Test func packingRoundTripsAndIsChannelMajor() {
        var rng = SeededGenerator(seed: 5)
        let rows = 7, cols = 5                                        // odd rows: a padding nibble per channel
        let codes = (0..<rows * cols).map { _ in Int8(Int(rng.next() % 15) - 7) }
        let packed = PackedResidual.pack(codes: codes, rows: rows, cols: cols)
        #expect(packed.count == cols * 4)
        let residual = PackedResidual(rows: rows, cols: cols, scales: (0..<rows).map { Float($0 + 1) }, packed: packed)
        #expect(residual.codes() == codes)
        // Channel 2's column is bytes 8..<12; output 3 is the high nibble of byte 9.
        #expect(Int(packed[2 * 4 + 1] >> 4) - 8 == Int(codes[3 * cols + 2]))
        #expect(packed[2 * 4 + 3] >> 4 == 8)                         // padding nibble codes 0
        let dense = residual.dequantized()
        #expect(dense[4, 3] == 5 * Float(codes[4 * cols + 3]))
        var y = [Float](repeating: 1, count: rows)
        y.withUnsafeMutableBufferPointer { residual.accumulate(channel: 3, times: 2, into: $0) }
        #expect(y == (0..<rows).map { 1 + 2 * dense[$0, 3] })
        #expect(residual.hostBits == 4 * rows * cols + 16 * rows)
    }

    @Test func budgetScalesTheTailChunk() {
        let budget = ChannelBudget(channels: 17_920, kChunk: 16)
        #expect(budget.chunks.count == 18 && budget.chunks.last == 17_408..<17_920)
        #expect(budget.count(chunkLength: 512) == 8)
        #expect(budget.total == 280)
        #expect(ChannelBudget(channels: 384, kChunk: 4).total == 1)
    }

    @Test func bucketFloorsRunFromAThroughBToZero() {
        let buckets = BucketSelection(a: 3, b: 1.5)
        #expect(buckets.floors.count == 32)
        #expect(buckets.floors[0] == 3 && buckets.floors[15] == 1.5 && buckets.floors[31] == 0)
        #expect(zip(buckets.floors, buckets.floors.dropFirst()).allSatisfy { $0 > $1 })
        #expect(buckets.bucket(of: 100) == 0 && buckets.bucket(of: 1.5) == 15 && buckets.bucket(of: 0) == 31)
    }

    @Test func bucketSelectionIsExactWhenValuesAreWellSeparated() {
        let channels = 2560, kChunk = 8
        let budget = ChannelBudget(channels: channels, kChunk: kChunk)
        var rng = SeededGenerator(seed: 9)
        func position() -> [Float] {
            var x = (0..<channels).map { _ in Float(rng.uniform() * 0.01) }
            for chunk in budget.chunks {
                var heavy = Set<Int>()
                while heavy.count < budget.count(chunkLength: chunk.count) { heavy.insert(chunk.lowerBound + Int(rng.next() % UInt64(chunk.count))) }
                for j in heavy { x[j] = Float(2 + 6 * rng.uniform()) * (rng.next() % 2 == 0 ? 1 : -1) }
            }
            return x
        }
        var stats = ActivationThresholds(channels: channels)
        let calibration = (0..<20).map { _ in position() }
        stats.observe(Matrix(rows: 20, cols: channels, storage: calibration.flatMap { $0 }))
        let bucket = ChannelSelector(method: .bucket, budget: budget, thresholds: stats)
        let exact = ChannelSelector(method: .topKChunk, budget: budget, thresholds: stats)
        for _ in 0..<10 {
            let x = position()
            let (b, e) = x.withUnsafeBufferPointer { (bucket.select($0), exact.select($0)) }
            #expect(b.count == budget.total)
            #expect(Set(b) == Set(e))
        }
    }

    @Test func thresholdsAreTheLargestOrderStatistics() {
        var stats = ActivationThresholds(channels: 3)
        stats.observe(Matrix(rows: 2, cols: 3, storage: [1, -5, 2, 4, 3, -3]))
        #expect(stats.thresholds == [5, 3, 3] && stats.positions == 2)   // sorted rows 5,2,1 and 4,3,3
        #expect(stats.staticChannels(count: 2) == [1, 0])            // mean |x|: 2.5, 4, 2.5
    }

    @Test func exactSelectionsHaveFullRecall() {
        let (w, q) = weightPair(16, 384, seed: 2)
        let x = activations(40, 384, seed: 3)
        var stats = ActivationThresholds(channels: 384)
        stats.observe(x)
        for method in [ChannelSelection.topK, .topKChunk] {
            let results = LayerCompensationResult.sweep(layer: "l", weight: w, quantized: q, baseBits: 3, inputs: x, thresholds: stats,
                                                         kChunks: [16, 64], selection: method)
            #expect(results.allSatisfy { $0.recall == 1 }, "\(method)")
        }
        let random = LayerCompensationResult.sweep(layer: "l", weight: w, quantized: q, baseBits: 3, inputs: x, thresholds: stats,
                                                   kChunks: [16], selection: .random)
        #expect(random[0].recall! < 0.5)
    }

    @Test func compensatedOutputEqualsTheMaskedDenseProduct() {
        let (w, q) = weightPair(10, 1536, seed: 4)
        let x = activations(6, 1536, seed: 5)
        var stats = ActivationThresholds(channels: 1536)
        stats.observe(x)
        let residual = PackedResidual(weight: w, quantized: q)
        let dense = residual.dequantized()
        for method in ChannelSelection.allCases {
            let dec = DynamicCompensation(residual: residual,
                                          selector: ChannelSelector(method: method, budget: ChannelBudget(channels: 1536, kChunk: 32), thresholds: stats))
            let (y, chosen) = dec.output(quantized: q, inputs: x)
            #expect(chosen.allSatisfy { $0.count == 48 && Set($0).count == 48 }, "\(method)")
            for p in 0..<x.rows {
                let s = Set(chosen[p])
                let masked = Matrix<Float>(rows: 10, cols: 1536) { o, j in q[o, j] + (s.contains(j) ? dense[o, j] : 0) }
                let row = Matrix(rows: 1, cols: 1536, storage: Array(x.storage[p * 1536..<(p + 1) * 1536]))
                let expected = row.matmul(masked, transposeOther: true)
                for o in 0..<10 { #expect(abs(y[p, o] - expected.storage[o]) <= 1e-4 * max(1, abs(expected.storage[o])), "\(method) p\(p) o\(o)") }
            }
        }
    }

    @Test func fullBudgetGivesTheErrorOfTheCompensatedWeight() {
        let (w, q) = weightPair(24, 512, seed: 6)
        let x = activations(30, 512, seed: 7)
        var stats = ActivationThresholds(channels: 512)
        stats.observe(x)
        let results = LayerCompensationResult.sweep(layer: "l", weight: w, quantized: q, baseBits: 3, inputs: x, thresholds: stats,
                                                    kChunks: [0, 8, 1024], selection: .bucket)
        let full = q + PackedResidual(weight: w, quantized: q).dequantized()
        let yFull = x.matmul(full, transposeOther: true), yRef = x.matmul(w, transposeOther: true)
        let error = zip(yFull.storage, yRef.storage).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let energy = yRef.storage.reduce(0.0) { $0 + Double($1) * Double($1) }
        // Both sides are fp32 products summed in different orders (base output + fetched columns against one
        // product with Ŵ + R̂); an output error ~3500× below the output energy magnifies that rounding.
        #expect(abs(results[2].compensatedError - error / energy) <= 1e-4 * error / energy)
        #expect(results[0].compensatedError == results[0].baseError && results[0].recall == nil)
        #expect(results[2].compensatedError < results[1].compensatedError && results[1].compensatedError < results[0].compensatedError)
        #expect(results[1].channels == 4 && results[1].virtualBits == 3 + 4.0 * 4 / 512)
        #expect(results[1].hostBytes == (4 * 24 * 512 + 16 * 24) / 8)
    }
}
