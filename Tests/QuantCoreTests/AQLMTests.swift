import Testing
import FloatBounds
import Foundation
import Synchronization
@testable import QuantCore

@Suite struct AQLMTests {
    /// A random codebook layer (Double), with random codes, codebooks and scales.
    static func randomLayer(rows: Int, cols: Int, m: Int, bits: Int, g: Int, seed: UInt64) -> AdditiveCodebooks<Double> {
        var rng = SeededGenerator(seed: seed)
        let k = 1 << bits
        return AdditiveCodebooks(rows: rows, cols: cols, codebookCount: m, bits: bits, groupSize: g,
                                 codes: (0..<(rows * cols / g * m)).map { _ in UInt16(rng.next() % UInt64(k)) },
                                 codebooks: (0..<(m * k * g)).map { _ in rng.normal() },
                                 scales: (0..<rows).map { _ in 0.5 + rng.uniform() })
    }

    /// A small problem in Double with a well-conditioned Σ.
    static func problem(rows: Int, cols: Int, seed: UInt64) throws -> LayerProblem<Double> {
        var rng = SeededGenerator(seed: seed)
        let x = Matrix<Double>(rows: 4 * cols, cols: cols) { _, _ in rng.normal() }
        let w = Matrix<Double>(rows: rows, cols: cols) { _, _ in rng.normal() }
        return try LayerProblem(weights: w, hessian: x.matmul(x, transposeSelf: true))
    }

    static func state(_ problem: LayerProblem<Double>, options: AQLMOptions, seed: UInt64 = 1) -> AQLMState<Double> {
        let s = AQLMState(problem: problem, options: options)
        var rng = SeededGenerator(seed: seed)
        s.initialize(options: options, rng: &rng, isCancelled: { false })
        return s
    }

    /// How far a Float AQLM run's reported relative error `tr(R̂ΣR̂ᵀ)/tr(WΣWᵀ)` can be from the fp64 one of
    /// its decoded layer. R̂ is the fp32 residual, refreshed (`W − decode`: Σ_m C_m, ×s, −) after every
    /// codebook update and then moved by ≤ M shifts `R̂ += s·(C_old − C_new)` (3 roundings each) in the code
    /// search; the fp32 decode the exact error uses rounds M times more. So |R̂ − Δ| ≤ E = γ(5M + 2)·B entrywise
    /// (one spare u for the fp64 sums), B = |W| + 2|s|·Σ_m max_c |C_m[c]| bounding every value involved, and
    /// |tr(R̂ΣR̂ᵀ) − tr(ΔΣΔᵀ)| ≤ tr((|Δ| + E)|Σ|(|Δ| + E)ᵀ) − tr(|Δ||Σ||Δ|ᵀ). The residual is updated element by
    /// element, so this does not depend on the BLAS; the codes it ends on do.
    static func reportError(_ layer: AdditiveCodebooks<Float>, _ p: LayerProblem<Float>) -> Double {
        let w = p.weights.converted(to: Double.self), delta = w - layer.decoded().converted(to: Double.self)
        let m = layer.codebookCount, k = layer.codebookSize, g = layer.groupSize
        let largest = (0..<g).map { a in
            (0..<m).reduce(0.0) { sum, book in sum + (0..<k).map { abs(Double(layer.codebooks[(book * k + $0) * g + a])) }.max()! }
        }
        let reach = Matrix<Double>(rows: w.rows, cols: w.cols) { o, c in
            abs(delta[o, c]) + FloatSums.gamma(5 * m + 2) * (abs(w[o, c]) + 2 * abs(Double(layer.scales[o])) * largest[c % g])
        }
        let den = Objective.quadraticTrace(w, p.hessian)
        return (FloatSums.quadraticTraceMagnitude(reach, p.hessian) - FloatSums.quadraticTraceMagnitude(delta, p.hessian)) / den
    }

    @Test func bitsPerParameterReproducesTheReferenceTable() {
        // (out, in, M, B, g, expected), from research note §1.9.
        let rows: [(Int, Int, Int, Int, Int, Double)] = [
            (4096, 4096, 1, 16, 8, 2.504), (4096, 4096, 2, 8, 8, 2.008), (4096, 4096, 1, 8, 8, 1.006),
            (4096, 4096, 3, 8, 8, 3.010), (4096, 4096, 4, 8, 8, 4.012), (4096, 4096, 1, 16, 16, 2.004),
            (11008, 4096, 1, 16, 8, 2.19), (11008, 4096, 2, 8, 8, 2.005), (11008, 4096, 1, 8, 8, 1.005),
            (11008, 4096, 3, 8, 8, 3.006), (11008, 4096, 4, 8, 8, 4.007), (11008, 4096, 1, 16, 16, 1.375),
            (2048, 2048, 1, 16, 8, 4.008), (2048, 2048, 2, 8, 8, 2.023), (2048, 2048, 1, 8, 8, 1.016),
            (2048, 2048, 3, 8, 8, 3.031), (2048, 2048, 4, 8, 8, 4.039), (2048, 2048, 1, 16, 16, 5.008),
            (512, 2048, 1, 16, 8, 10.008), (512, 2048, 2, 8, 8, 2.070), (512, 2048, 1, 8, 8, 1.039),
            (512, 2048, 3, 8, 8, 3.102), (512, 2048, 4, 8, 8, 4.133), (512, 2048, 1, 16, 16, 17.008),
            (896, 896, 1, 16, 8, 12.47), (896, 896, 2, 8, 8, 2.099), (896, 896, 1, 8, 8, 1.059),
            (896, 896, 3, 8, 8, 3.140), (896, 896, 4, 8, 8, 4.181), (896, 896, 1, 16, 16, 21.9),
        ]
        for (o, i, m, b, g, expected) in rows {
            let bits = AdditiveCodebooks<Float>.bitsPerParameter(rows: o, cols: i, codebooks: m, bits: b, groupSize: g)
            // Within one unit of the table's last printed digit (it truncates some entries, e.g. 1.376 as 1.375).
            let unit = expected == 21.9 ? 0.1 : expected == 2.19 || expected == 12.47 ? 0.01 : 0.001
            #expect(abs(bits - expected) <= unit, "\(o)x\(i) \(m)x\(b)g\(g): \(bits) vs \(expected)")
        }
    }

    @Test func decodeAndLookupMatvecMatchADenseReference() {
        let layer = Self.randomLayer(rows: 7, cols: 24, m: 3, bits: 4, g: 4, seed: 3)
        let w = layer.decoded()
        // Dense reference straight from the definition.
        for o in 0..<7 {
            for c in 0..<24 {
                let j = c / 4, a = c % 4
                var v = 0.0
                for m in 0..<3 { v += layer.codebooks[(m * 16 + Int(layer.codes[(o * 6 + j) * 3 + m])) * 4 + a] }
                #expect(abs(w[o, c] - layer.scales[o] * v) < 1e-12)       // fp64, 3 entries ~N(0, 1) and a scale: ulps
            }
        }
        let f = AdditiveCodebooks<Float>(rows: 7, cols: 24, codebookCount: 3, bits: 4, groupSize: 4, codes: layer.codes,
                                         codebooks: layer.codebooks.map(Float.init), scales: layer.scales.map(Float.init))
        var rng = SeededGenerator(seed: 9)
        let x = (0..<24).map { _ in Float(rng.normal()) }
        let y = f.multiply(x)
        let dense = f.decoded()
        // y_o = s_o·Σ_j Σ_m lut[j, m, code]: a product of x and a codebook entry goes through ≤ g = 4 roundings
        // in the lookup GEMM, ≤ 6·3 adding up the lookups and 1 for the scale; the fp32 dense reference rounds
        // each entry ≤ 3 + 1 times (the M = 3 codebook entries, ×s), and its fp64 sum is ~1e-15 relative. All
        // relative to the terms' magnitude |s_o|·Σ_c |x_c|·Σ_m |C_m[code][c mod g]|. (Was 192u·Σ|dense·x|.)
        for o in 0..<7 {
            var ref = 0.0, magnitude = 0.0
            for c in 0..<24 {
                ref += Double(dense[o, c]) * Double(x[c])
                let entries = (0..<3).reduce(0.0) { $0 + abs(Double(f.codebooks[($1 * 16 + Int(f.codes[(o * 6 + c / 4) * 3 + $1])) * 4 + c % 4])) }
                magnitude += abs(Double(f.scales[o]) * Double(x[c])) * entries
            }
            #expect(abs(Double(y[o]) - ref) <= FloatSums.gamma(4 + 6 * 3 + 1 + 4) * magnitude)
        }
        #expect(QuantizedLayer(codebooks: layer).dequantized() == w)
        #expect(QuantizedLayer(codebooks: layer).bitsPerWeight == layer.bitsPerWeight)
    }

    @Test func usageCountsEveryCodebook() {
        let layer = Self.randomLayer(rows: 5, cols: 16, m: 2, bits: 3, g: 4, seed: 4)
        let usage = layer.usage()
        #expect(usage.count == 2)
        #expect(usage.allSatisfy { $0.total == 5 * 4 && $0.bits == 3 })
        #expect(usage[1].counts[Int(layer.codes[1])] >= 1)
    }

    @Test func optionsRejectBadValues() {
        #expect(throws: QuantError.self) { try AQLMOptions(bits: 0) }
        #expect(throws: QuantError.self) { try AQLMOptions(bits: 17) }
        #expect(throws: QuantError.self) { try AQLMOptions(codebooks: 0) }
        #expect(throws: QuantError.self) { try AQLMOptions(beamSize: 0) }
        #expect(throws: QuantError.self) { try AQLMOptions(relativeTolerance: 1) }
        #expect(throws: QuantError.self) { try AQLMOptions(bits: 16, codebookUpdate: .leastSquares) }
        #expect(throws: QuantError.self) { try AQLMOptions(groupSize: 8).check(columns: 12) }
        #expect((try? AQLMOptions(bits: 16, groupSize: 8).check(columns: 16)) != nil)
        #expect((try? AQLMOptions())?.scheme == "2x8g8")
    }

    @Test func kMeansKeepsEmptyClustersAndReseedsThemOnRequest() {
        // Two tight blobs; the third start centroid is far from every point and gets nothing.
        let points: [Double] = [0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.2]
        let start: [Double] = [0, 0, 5, 5, 100, 100]
        let kept = points.withUnsafeBufferPointer {
            KMeans.lloyd(points: $0.baseAddress!, count: 6, dim: 2, centroids: start, maxIterations: 20, reseedDead: false)
        }
        #expect(Array(kept.centroids[4...5]) == [100, 100])
        #expect(!kept.assignment.contains(2))
        let reseeded = points.withUnsafeBufferPointer {
            KMeans.lloyd(points: $0.baseAddress!, count: 6, dim: 2, centroids: start, maxIterations: 20, reseedDead: true)
        }
        #expect(Set(reseeded.assignment).count == 3)
        func sse(_ f: KMeans.Fit<Double>) -> Double {
            (0..<6).reduce(0) { s, p in
                let c = Int(f.assignment[p])
                return s + (0..<2).reduce(0) { $0 + pow(points[p * 2 + $1] - f.centroids[c * 2 + $1], 2) }
            }
        }
        #expect(sse(reseeded) < sse(kept))
    }

    @Test func kMeansFitsSeparatedClustersExactly() {
        var rng = SeededGenerator(seed: 5)
        let centres: [Double] = [0, 0, 10, 0, 0, 10, 10, 10]
        var points: [Double] = []
        for i in 0..<200 { let c = i % 4; points += [centres[2 * c] + 0.01 * rng.normal(), centres[2 * c + 1] + 0.01 * rng.normal()] }
        var seedRng = SeededGenerator(seed: 1)
        let fit = points.withUnsafeBufferPointer {
            KMeans.fit(points: $0.baseAddress!, count: 200, dim: 2, k: 4, maxIterations: 100, reseedDead: true, rng: &seedRng)
        }
        // Every cluster holds exactly the points of one centre.
        for i in 0..<200 { #expect(fit.assignment[i] == fit.assignment[i % 4]) }
        #expect(Set(fit.assignment).count == 4)
    }

    @Test func greedySearchNeverRaisesTheLossAndPicksTheBestCode() throws {
        // One group per row and one codebook: every row has a single slot, so the search must find the
        // code with the lowest exact loss among all 2^B.
        let p = try Self.problem(rows: 6, cols: 4, seed: 11)
        let options = try AQLMOptions(codebooks: 1, bits: 3, groupSize: 4, initMaxIterations: 2)
        let s = Self.state(p, options: options)
        var rng = SeededGenerator(seed: 2)
        for i in s.codebooks.indices { s.codebooks[i] = rng.normal() }
        s.refreshResidual()
        let before = s.quadraticLoss()
        _ = CodeSearch(state: s, beam: 1).run(rng: &rng, isCancelled: { false })
        // fp64: every row takes its lowest-scoring code, so the loss cannot rise beyond rounding; it falls
        // 1380 → 217 here, so the 1e-12 slack is immaterial.
        #expect(s.quadraticLoss() <= before + 1e-12)
        for o in 0..<6 {
            var bestLoss = Double.infinity, bestCode = -1
            for c in 0..<8 {
                var delta = [Double](repeating: 0, count: 4)
                for a in 0..<4 { delta[a] = p.weights[o, a] - s.scales[o] * s.codebooks[c * 4 + a] }
                var l = 0.0
                for a in 0..<4 { for b in 0..<4 { l += delta[a] * p.hessian[a, b] * delta[b] } }
                if l < bestLoss { bestLoss = l; bestCode = c }
            }
            #expect(Int(s.codes[o]) == bestCode)
        }
        // The residual stayed in step with the codes.
        let kept = s.residual
        s.refreshResidual()
        // fp64 residual entries ≲ 4, each moved by at most one 3-operation shift: ~1e-15 apart; a missed shift is O(1).
        for i in kept.indices { #expect(abs(kept[i] - s.residual[i]) < 1e-9) }
    }

    @Test func greedySearchIsMonotoneOnAWiderLayer() throws {
        let p = try Self.problem(rows: 10, cols: 16, seed: 12)
        let s = Self.state(p, options: try AQLMOptions(codebooks: 2, bits: 3, groupSize: 4, initMaxIterations: 3))
        let search = CodeSearch(state: s, beam: 1)
        var rng = SeededGenerator(seed: 3)
        var loss = s.quadraticLoss()
        for _ in 0..<4 {
            _ = search.run(rng: &rng, isCancelled: { false })
            let next = s.quadraticLoss()
            // fp64: a pass either changes no code (the same loss, bit for bit) or lowers it by far more than
            // rounding; 1e-12 relative is slack for the form's rounding.
            #expect(next <= loss * (1 + 1e-12))
            loss = next
        }
    }

    @Test func wideBeamFindsTheGlobalOptimumOfATinyRow() throws {
        // Two slots per row with 4 codes each: a beam of 16 keeps every assignment, so it ends on the best.
        let p = try Self.problem(rows: 4, cols: 4, seed: 13)
        let options = try AQLMOptions(codebooks: 1, bits: 2, groupSize: 2, beamSize: 16, initMaxIterations: 2)
        let s = Self.state(p, options: options)
        var rng = SeededGenerator(seed: 4)
        for i in s.codebooks.indices { s.codebooks[i] = rng.normal() }
        s.refreshResidual()
        _ = CodeSearch(state: s, beam: 16).run(rng: &rng, isCancelled: { false })
        for o in 0..<4 {
            var bestLoss = Double.infinity
            for c0 in 0..<4 {
                for c1 in 0..<4 {
                    let codes = [c0, c1]
                    let delta = (0..<4).map { p.weights[o, $0] - s.scales[o] * s.codebooks[codes[$0 / 2] * 2 + $0 % 2] }
                    var l = 0.0
                    for a in 0..<4 { for b in 0..<4 { l += delta[a] * p.hessian[a, b] * delta[b] } }
                    bestLoss = min(bestLoss, l)
                }
            }
            var found = 0.0
            for a in 0..<4 { for b in 0..<4 { found += s.residual[o * 4 + a] * p.hessian[a, b] * s.residual[o * 4 + b] } }
            // fp64 4×4 forms of the same Δ in two orders: ~1e-14 relative, far below the gaps between codes.
            #expect(abs(found - bestLoss) <= 1e-9 * max(1, bestLoss))
        }
    }

    @Test func amsGradMatchesHandComputedSteps() {
        var adam = Adam.codebooks(count: 2, learningRate: 0.1)
        var p: [Double] = [1, -2]
        adam.update(&p, gradients: [0.5, -4])
        // Step 1 (β₁ = 0, β₂ = 0.95): v = 0.05 g², v̂ = v, denom = √v̂/√0.05 + ε = |g| + ε.
        // fp64 scalar arithmetic of a few operations on O(1) values: a few ulps (ulp(2) = 4.4e-16), 1e-14 after step 2.
        #expect(abs(p[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-15)
        #expect(abs(p[1] - (-2 + 0.1 * 4 / (4 + 1e-8))) < 1e-15)
        adam.update(&p, gradients: [0.1, -4])
        // Step 2: v = 0.95·0.05·0.25 + 0.05·0.01 for the first entry, smaller than step 1's, so v̂ keeps step 1's.
        let vmax0 = max(0.05 * 0.25, 0.95 * 0.05 * 0.25 + 0.05 * 0.01)
        let c2 = (1 - 0.95 * 0.95).squareRoot()
        let expected0 = (1 - 0.1 * 0.5 / (0.5 + 1e-8)) - 0.1 * 0.1 / (vmax0.squareRoot() / c2 + 1e-8)
        #expect(abs(p[0] - expected0) < 1e-14)
        let v1 = 0.95 * 0.05 * 16 + 0.05 * 16
        let expected1 = (-2 + 0.1 * 4 / (4 + 1e-8)) + 0.1 * 4 / (v1.squareRoot() / c2 + 1e-8)
        #expect(abs(p[1] - expected1) < 1e-14)
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let p = try Self.problem(rows: 5, cols: 8, seed: 14)
        let s = Self.state(p, options: try AQLMOptions(codebooks: 2, bits: 2, groupSize: 4, initMaxIterations: 3))
        let refit = CodebookRefit(state: s, learningRate: 1e-4)
        refit.computeGradients()
        let (gc, gs) = (refit.gradients.codebooks, refit.gradients.scales)
        func loss() -> Double { s.refreshResidual(); return s.quadraticLoss() / Double(s.rows) }
        // The loss is quadratic in every codebook entry and scale, so central differences have no truncation
        // error: what is left is the fp64 rounding of the loss (~1e-15·26 ≈ 3e-14, times the form's
        // cancellation) divided by h, ~3e-8; 1e-5 is 300× that.
        let h = 1e-6
        for i in [0, 3, 9, 13] {
            let keep = s.codebooks[i]
            s.codebooks[i] = keep + h; let up = loss()
            s.codebooks[i] = keep - h; let down = loss()
            s.codebooks[i] = keep
            #expect(abs((up - down) / (2 * h) - gc[i]) <= 1e-5 * max(1, abs(gc[i])))
        }
        for o in [0, 4] {
            let keep = s.scales[o]
            s.scales[o] = keep + h; let up = loss()
            s.scales[o] = keep - h; let down = loss()
            s.scales[o] = keep
            #expect(abs((up - down) / (2 * h) - gs[o]) <= 1e-5 * max(1, abs(gs[o])))
        }
    }

    @Test func leastSquaresCodebooksAreOptimalForFixedCodes() throws {
        let p = try Self.problem(rows: 12, cols: 16, seed: 15)
        let s = Self.state(p, options: try AQLMOptions(codebooks: 2, bits: 3, groupSize: 4, initMaxIterations: 5))
        let refit = CodebookRefit(state: s, learningRate: 1e-4)
        refit.computeGradients()
        let before = refit.gradients.codebooks.map(abs).max()!
        let lossBefore = s.quadraticLoss()
        refit.leastSquares()
        #expect(s.quadraticLoss() < lossBefore)
        refit.computeGradients()
        let after = refit.gradients.codebooks.map(abs).max()!
        // The fp64 normal equations are solved to rounding: the gradient left is ~κ·ε of the first (1.2e-9 on
        // every kernel, so κ ≈ 1e7 for this system); 1e-6 allows a κ 1000× worse.
        #expect(after < 1e-6 * before)
    }

    @Test func solverReportsEveryEpochAndImproves() throws {
        let p = SyntheticProblem(rows: 32, cols: 64, tokens: 512, seed: 7).make()
        let options = try AQLMOptions(codebooks: 2, bits: 4, groupSize: 8, maxEpochs: 6, stepsPerEpoch: 20,
                                      relativeTolerance: nil, initMaxIterations: 20)
        let r = try LayerMethod.aqlm(options).solve(p)
        #expect(r.history.count == 6)
        #expect(r.history.allSatisfy { $0.codebooks.count == 2 && $0.codebooks[0].total == 32 * 8 })
        #expect(r.history.last!.relativeError < r.history.first!.relativeError)
        let err = Objective.relativeError(weights: p.weights, quantized: r.layer.dequantized(), hessian: p.hessian)
        #expect(abs(err - r.history.last!.relativeError) <= Self.reportError(r.layer.codebooks!, p))
        #expect(r.layer.codebooks?.scheme == "2x4g8")
        #expect(LayerMethod.aqlm(options).summary == "AQLM 2x4g8, max epochs 6, steps per epoch 20, relative tolerance none, init max iter 20")
        // Same seed, same answer.
        #expect(try LayerMethod.aqlm(options).solve(p).layer == r.layer)
    }

    @Test func toleranceStopsAndCancellationKeepsTheBest() throws {
        let p = SyntheticProblem(rows: 16, cols: 32, tokens: 256, seed: 8).make()
        let stopping = try AQLM.solve(p, options: try AQLMOptions(codebooks: 1, bits: 4, groupSize: 4, maxEpochs: 200,
                                                                  stepsPerEpoch: 5, relativeTolerance: 0.05, initMaxIterations: 10))
        #expect(stopping.history.count < 200)
        #expect(stopping.notes.contains { $0.hasPrefix("stopped after") })
        let options = try AQLMOptions(codebooks: 1, bits: 4, groupSize: 4, maxEpochs: 50, stepsPerEpoch: 5,
                                      relativeTolerance: nil, codebookUpdate: .leastSquares, initMaxIterations: 10)
        let reports = Mutex(0)
        let control = SolverControl(report: { _ in reports.withLock { $0 += 1 } }, isCancelled: { reports.withLock { $0 >= 3 } })
        let r = try AQLM.solve(p, options: options, control: control)
        #expect(r.cancelled)
        #expect(r.history.count == 3)
        let err = Objective.relativeError(weights: p.weights, quantized: r.layer.dequantized(), hessian: p.hessian)
        #expect(err <= r.history.map { $0.relativeError }.min()! + Self.reportError(r.layer.codebooks!, p))
    }
}
