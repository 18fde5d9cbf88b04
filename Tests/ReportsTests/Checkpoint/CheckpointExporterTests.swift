import Engine
import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// Every linear of the tiny Llama fixture, rounded to a 4-bit grid with an identity Hessian, as a run would solve them.
private final class RoundedWork: QuantizationWork {
    let checkpoint: Checkpoint
    let method = LayerMethod.rtn(try! GridOptions(bits: 4, groupSize: 32))
    init(_ checkpoint: Checkpoint) { self.checkpoint = checkpoint }

    var info: RunInfo {
        RunInfo(model: "tiny-llama", architecture: "llama", blocks: checkpoint.config.layerCount,
                layers: checkpoint.linearLayers.map { LayerInfo(name: $0.name, block: $0.block, rows: $0.outFeatures, cols: $0.inFeatures) },
                method: method, pipeline: "fixture", calibration: "none")
    }

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {}

    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        for linear in checkpoint.linearLayers { onEvent(.layerFinished(try solve(layer: linear.name, method: method, control: .silent))) }
        return false
    }

    func solve(layer name: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        let linear = checkpoint.layout.linear(named: name)!
        let w = try checkpoint.loadLinearWeight(name)
        let problem = try LayerProblem(name: name, weights: w, hessian: Matrix<Double>.identity(w.cols))
        let r = try method.solve(problem, control: control)
        return LayerOutcome(layer: linear, method: method, result: r, relativeError: 0, tokens: 0, dequantized: r.layer.dequantized())
    }
}

@Suite struct CheckpointExporterTests {
    @Test func eachFormatTakesAFreeNameOnceAndIsReplacedAfter() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let work = TrackedWork(RoundedWork(f.checkpoint))
        let recipe = try RecipeParser.parse("name: tiny\nmethod: {name: rtn, bits: 4, group_size: 32}\n")
        let exporter = CheckpointExporter(recipe: recipe, work: work, checkpoint: ExportFixture.tinyLlama, base: f.scratch)
        #expect(throws: ExportFailure.self) { try exporter.export(format: .gptq, outliers: .refuse) { _ in } }

        _ = try work.runNextBlock(onEvent: { _ in }, isCancelled: { false })
        let exports = f.scratch.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports.appendingPathComponent("tiny-dense"), withIntermediateDirectories: true)
        var shares: [Double] = []
        let gptq = try exporter.export(format: .gptq, outliers: .refuse) { shares.append($0) }
        #expect(gptq.hasPrefix("exported gptq: \(f.checkpoint.linearLayers.count) quantized layer(s)"), "\(gptq)")
        #expect(gptq.contains("to " + exports.appendingPathComponent("tiny-gptq").path))
        #expect(shares.last == 1 && shares == shares.sorted())
        // A folder someone else made is left alone; the session's own export is replaced by the next.
        let dense = try exporter.export(format: .dense, outliers: .refuse) { _ in }
        #expect(dense.contains("to " + exports.appendingPathComponent("tiny-dense-2").path), "\(dense)")
        let again = try exporter.export(format: .gptq, outliers: .refuse) { _ in }
        #expect(again.contains("to " + exports.appendingPathComponent("tiny-gptq").path) && !again.contains("tiny-gptq-2"))
        let loaded = try Checkpoint(directory: exports.appendingPathComponent("tiny-gptq"))
        let linear = f.checkpoint.linearLayers[0]
        #expect(try loaded.loadLinearWeight(linear.name).storage.count == linear.outFeatures * linear.inFeatures)
        #expect(try FileManager.default.contentsOfDirectory(atPath: exports.path).sorted() == ["tiny-dense", "tiny-dense-2", "tiny-gptq"])
    }
}
