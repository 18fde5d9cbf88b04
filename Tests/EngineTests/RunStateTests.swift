import Testing
import QuantCore
@testable import Engine

@Suite struct RunStateTests {
    static let quantease = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 3), sweeps: 3))
    static let gptq = LayerMethod.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))

    static let info = RunInfo(model: "m", architecture: "bert", blocks: 2,
                              layers: [LayerInfo(name: "0.attention.self.query", block: 0, rows: 4, cols: 8),
                                       LayerInfo(name: "1.output.dense", block: 1, rows: 8, cols: 4)],
                              method: quantease, pipeline: "block-sequential", calibration: "test")

    static func summary(_ name: String, method: LayerMethod = quantease, bits: Int = 3, err: Double = 0.1) -> LayerSummary {
        LayerSummary(name: name, block: 0, rows: 4, cols: 8, method: method, bits: bits, relErr: err, bitsPerWeight: 3.5,
                     outliers: 0, seconds: 0.1, calibrationTokens: 64, notes: [])
    }

    static func sweep(_ i: Int, _ e: Double) -> SolverProgress {
        SolverProgress(step: i, totalSteps: 3, relativeError: e, codesChanged: 1, outliers: 0, onGrid: true, elapsed: 0.01 * Double(i))
    }

    @Test func foldsARunIntoTheLayerTable() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        #expect(s.layers.map(\.phase) == [.pending, .pending])
        s.apply(.layerStarted(layer: "0.attention.self.query", method: Self.quantease))
        s.apply(.sweepFinished(layer: "0.attention.self.query", progress: Self.sweep(1, 0.2)))
        s.apply(.sweepFinished(layer: "0.attention.self.query", progress: Self.sweep(2, 0.15)))
        #expect(s.activeLayer == "0.attention.self.query" && s.layers[0].phase == .solving && s.layers[0].sweeps.count == 2)
        s.apply(.layerFinished(Self.summary("0.attention.self.query")))
        #expect(s.layers[0].phase == .done && s.activeLayer == nil && s.finished.count == 1)
        #expect(s.isIncomplete)
        s.apply(.error(layer: "1.output.dense", message: "Σ is not positive-definite"))
        #expect(s.layers[1].phase == .failed("Σ is not positive-definite") && s.errors == ["1.output.dense: Σ is not positive-definite"])
        s.apply(.runFinished(.failed))
        #expect(s.status == .failed)
    }

    @Test func aCancelledSolveIsCancelledNotDone() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerStarted(layer: "1.output.dense", method: Self.quantease))
        s.apply(.sweepFinished(layer: "1.output.dense", progress: Self.sweep(1, 0.2)))
        s.apply(.solveCancelled(CancelledSolve(layer: "1.output.dense", method: Self.quantease, step: 1, totalSteps: 3, replacesMain: true)))
        s.apply(.runFinished(.cancelled))
        #expect(s.layers[1].phase == .cancelled(after: 1, of: 3) && s.layers[1].summary == nil && s.finished.isEmpty)
        #expect(s.layers[1].phase.description == "cancelled after 1 of 3" && s.activeLayer == nil && s.isIncomplete)
    }

    @Test func aCancelledResolveKeepsTheResultAndSaysCancelled() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query")))
        s.apply(.layerStarted(layer: "0.attention.self.query", method: Self.gptq))
        s.apply(.solveCancelled(CancelledSolve(layer: "0.attention.self.query", method: Self.gptq, step: 2, totalSteps: 3, replacesMain: true)))
        #expect(s.layers[0].phase == .cancelled(after: 2, of: 3) && s.layers[0].summary?.method == Self.quantease)
        #expect(s.layers[0].comparisons.isEmpty)
        // A cancelled comparison leaves the row alone.
        s.apply(.layerFinished(Self.summary("0.attention.self.query")))
        s.apply(.solveCancelled(CancelledSolve(layer: "0.attention.self.query", method: Self.gptq, step: 1, totalSteps: 3, replacesMain: false)))
        #expect(s.layers[0].phase == .done)
    }

    @Test func aResolveWithOtherSettingsKeepsTheOldResultAsAComparison() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", bits: 3, err: 0.1)))
        s.apply(.layerStarted(layer: "0.attention.self.query", method: Self.quantease))
        let four = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 4), sweeps: 3))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", method: four, bits: 4, err: 0.02)))
        #expect(s.layers[0].summary?.bits == 4 && s.layers[0].comparisons.map(\.bits) == [3])
        s.apply(.comparisonFinished(Self.summary("0.attention.self.query", method: Self.gptq, bits: 4, err: 0.03)))
        #expect(s.layers[0].comparisons.map(\.method) == [Self.quantease, Self.gptq])
    }

    @Test func aResolveChangingOnlyDampingIsADifferentResult() {
        // Bug: results were told apart by label strings, and both were labelled "GPTQ 3-bit", so the old one
        // was dropped. Now methods are compared (and the label names the damping too).
        let damped = LayerMethod.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3), dampingFraction: 0.1))
        #expect(damped != Self.gptq && damped.summary != Self.gptq.summary)
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", method: Self.gptq, err: 0.1)))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", method: damped, err: 0.09)))
        #expect(s.layers[0].comparisons.map(\.method) == [Self.gptq] && s.layers[0].summary?.method == damped)
        // The same settings again replace the result without a comparison.
        s.apply(.layerFinished(Self.summary("0.attention.self.query", method: damped, err: 0.09)))
        #expect(s.layers[0].comparisons.count == 1)
    }

    @Test func statisticsAndResume() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", err: 0.1)))
        s.apply(.layerFinished(LayerSummary(name: "1.output.dense", block: 1, rows: 8, cols: 4, method: Self.quantease, bits: 3,
                                            relErr: 0.3, bitsPerWeight: 4.5, outliers: 2, seconds: 0.2, calibrationTokens: 64, notes: [])))
        #expect(s.relErrStats?.median == 0.2 && s.relErrStats?.worst == 0.3)
        #expect(s.meanBitsPerWeight == 4.0)
        #expect(!s.isIncomplete)
        s.apply(.runFinished(.cancelled))
        s.apply(.runStarted(Self.info))                       // a resumed run keeps finished rows
        #expect(s.finished.count == 2 && s.status == nil)
    }
}

@Suite struct RunStateMethodLabelTests {
    /// A re-solve that changes only the damping keeps the earlier result as a comparison (results are told
    /// apart by method equality; the label names every setting that differs from its default as well).
    @Test func aResolveWithOnlyOtherDampingIsKeptAsAComparison() throws {
        let first = try MethodSchema.method(.gptq, values: [:])
        let second = try MethodSchema.method(.gptq, values: ["damping": .double(0.1)])
        var s = RunState()
        s.apply(.runStarted(RunStateTests.info))
        s.apply(.layerFinished(RunStateTests.summary("0.attention.self.query", method: first, err: 0.2)))
        s.apply(.layerFinished(RunStateTests.summary("0.attention.self.query", method: second, err: 0.1)))
        #expect(s.layers[0].comparisons.map(\.method) == [first])
    }

    @Test func comparisonSweepsMakeOneCurvePerMethodAndASecondSolveStartsAnew() {
        var s = RunState()
        s.apply(.runStarted(RunInfo(model: "m", architecture: "bert", blocks: 1, layers: [LayerInfo(name: "0.q", block: 0, rows: 4, cols: 4)],
                                    method: RunStateTests.quantease, pipeline: "p", calibration: "c")))
        func sweep(_ step: Int, _ err: Double) -> SolverProgress {
            SolverProgress(step: step, totalSteps: 3, relativeError: err, codesChanged: 0, outliers: 0, onGrid: true, elapsed: 0)
        }
        for (i, e) in [0.03, 0.02, 0.015].enumerated() { s.apply(.comparisonSweep(layer: "0.q", method: RunStateTests.quantease, progress: sweep(i + 1, e))) }
        s.apply(.comparisonSweep(layer: "0.q", method: RunStateTests.gptq, progress: sweep(1, 0.04)))
        #expect(s.layers[0].comparisonCurves.map(\.method) == [RunStateTests.quantease, RunStateTests.gptq])
        #expect(s.layers[0].comparisonCurve(of: RunStateTests.quantease)?.sweeps.map(\.relativeError) == [0.03, 0.02, 0.015])
        #expect(s.layers[0].sweeps.isEmpty, "the layer's own curve is not touched")
        s.apply(.comparisonSweep(layer: "0.q", method: RunStateTests.quantease, progress: sweep(1, 0.05)))
        #expect(s.layers[0].comparisonCurve(of: RunStateTests.quantease)?.sweeps.map(\.relativeError) == [0.05])
        // A layer's re-solve keeps the comparison curves.
        s.apply(.layerStarted(layer: "0.q", method: RunStateTests.quantease))
        #expect(s.layers[0].comparisonCurves.count == 2)
    }
}
