import Testing
import QuantCore
@testable import Engine

@Suite struct RunStateTests {
    static let info = RunInfo(model: "m", architecture: "bert", blocks: 2,
                              layers: [LayerInfo(name: "0.attention.self.query", block: 0, rows: 4, cols: 8),
                                       LayerInfo(name: "1.output.dense", block: 1, rows: 8, cols: 4)],
                              method: "QuantEase 3-bit", pipeline: "block-sequential", calibration: "test")

    static func summary(_ name: String, method: String = "quantease", bits: Int = 3, err: Double = 0.1) -> LayerSummary {
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
        s.apply(.layerStarted(layer: "0.attention.self.query", method: "quantease"))
        s.apply(.sweepFinished(layer: "0.attention.self.query", progress: Self.sweep(1, 0.2)))
        s.apply(.sweepFinished(layer: "0.attention.self.query", progress: Self.sweep(2, 0.15)))
        #expect(s.activeLayer == "0.attention.self.query" && s.layers[0].phase == .running && s.layers[0].sweeps.count == 2)
        s.apply(.layerFinished(Self.summary("0.attention.self.query")))
        #expect(s.layers[0].phase == .done && s.activeLayer == nil && s.finished.count == 1)
        #expect(s.isIncomplete)
        s.apply(.error(layer: "1.output.dense", message: "Σ is not positive-definite"))
        #expect(s.layers[1].phase == .failed && s.errors == ["1.output.dense: Σ is not positive-definite"])
        s.apply(.runFinished(.failed))
        #expect(s.status == .failed)
    }

    @Test func aResolveWithOtherSettingsKeepsTheOldResultAsAComparison() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", bits: 3, err: 0.1)))
        s.apply(.layerStarted(layer: "0.attention.self.query", method: "quantease"))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", bits: 4, err: 0.02)))
        #expect(s.layers[0].summary?.bits == 4 && s.layers[0].comparisons.map(\.bits) == [3])
        s.apply(.comparisonFinished(Self.summary("0.attention.self.query", method: "gptq", bits: 4, err: 0.03)))
        #expect(s.layers[0].comparisons.map(\.method) == ["quantease", "gptq"])
    }

    @Test func statisticsAndResume() {
        var s = RunState()
        s.apply(.runStarted(Self.info))
        s.apply(.layerFinished(Self.summary("0.attention.self.query", err: 0.1)))
        s.apply(.layerFinished(LayerSummary(name: "1.output.dense", block: 1, rows: 8, cols: 4, method: "quantease", bits: 3,
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
    /// apart by their method label, which names every setting that differs from its default).
    @Test func aResolveWithOnlyOtherDampingIsKeptAsAComparison() throws {
        let first = try MethodSchema.method(.gptq, values: [:])
        let second = try MethodSchema.method(.gptq, values: ["damping": .double(0.1)])
        var s = RunState()
        s.apply(.runStarted(RunStateTests.info))
        s.apply(.layerFinished(RunStateTests.summary("0.attention.self.query", method: first.summary, err: 0.2)))
        s.apply(.layerFinished(RunStateTests.summary("0.attention.self.query", method: second.summary, err: 0.1)))
        #expect(s.layers[0].comparisons.map(\.method) == [first.summary])
    }
}
