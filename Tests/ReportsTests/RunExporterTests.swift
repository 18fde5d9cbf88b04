import Foundation
@testable import ModelKit
import QuantCore
import Testing
import Engine
@testable import Reports

/// Two RTN layers over synthetic problems; re-solves use the method asked for.
private final class TwoLayerWork: QuantizationWork {
    let layers = (0..<2).map { LinearLayer(name: "\($0).mlp", tensorName: "b.\($0).w", biasName: nil, block: $0, outFeatures: 16, inFeatures: 32,
                                           storedTransposed: false) }
    let problems = (0..<2).map { SyntheticProblem(rows: 16, cols: 32, tokens: 64, seed: UInt64($0)).make(name: "\($0).mlp") }
    let method: LayerMethod
    init(method: LayerMethod) { self.method = method }

    var info: RunInfo {
        RunInfo(model: "synthetic", architecture: "none", blocks: 2, layers: layers.map { LayerInfo(name: $0.name, block: $0.block, rows: 16, cols: 32) },
                method: method, pipeline: "synthetic", calibration: "seeded")
    }

    private var next = 0

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws { next = 0 }

    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool {
        onEvent(.layerFinished(try solve(layer: layers[next].name, method: method, control: .silent)))
        next += 1
        return next < layers.count
    }

    func solve(layer name: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        let i = layers.firstIndex { $0.name == name } ?? 0
        let r = try method.solve(problems[i], control: control)
        let deq = r.layer.dequantized()
        return LayerOutcome(layer: layers[i], method: method, result: r,
                            relativeError: Objective.relativeError(weights: problems[i].weights, quantized: deq, hessian: problems[i].hessian),
                            tokens: 64, dequantized: deq)
    }
}

@Suite struct RunExporterTests {
    @Test func exportWritesEveryCurrentLayerTheRecipeAndTheMethodTable() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qb-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let recipe = try RecipeParser.parse("name: bench\nmethod: {name: rtn, bits: 3}\noutput: exported\n")
        let resolve = LayerMethod.rtn(try GridOptions(bits: 6))
        let work = TrackedWork(TwoLayerWork(method: recipe.method))
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        var state = RunState()
        for await e in job.events {
            state.apply(e)
            if case .runFinished = e { job.send(.resolve(layer: "1.mlp", method: resolve)) }
            if case let .layerFinished(s) = e, s.bits == 6 { job.send(.quit) }
        }
        _ = await status.value
        let exporter = RunExporter(recipe: recipe, work: work, checkpoint: nil, base: base, toolVersion: "test")
        let message = try exporter.export(state)
        #expect(message.hasPrefix("exported 2 layers"))

        let folder = try RunFolder(existing: base.appendingPathComponent("exported"))
        let layers = try folder.finishedLayers()
        #expect(layers.keys.sorted() == ["0.mlp", "1.mlp"])
        #expect(layers["1.mlp"]?.layer.bits == 6)                       // the re-solve, not the pipeline's result
        #expect(try folder.layerMethods() == ["0.mlp": recipe.method, "1.mlp": resolve])
        #expect(try folder.recipe().method == recipe.method)
        #expect(try RunReport.read(from: folder.url).layers.count == 2)
        // A second export writes into the same folder (the session holds its lock).
        #expect(try exporter.export(state) == message)
    }

    /// A budget changed in the workbench is the exported run's: allocation.json holds its plan, and the
    /// reports say that the recipe beside it gives another.
    @Test func aPlanForAnotherBudgetThanTheRecipesIsExportedAndSaidSo() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qb-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let recipe = try RecipeParser.parse("""
        name: bench
        method: {name: rtn, bits: 3}
        allocate: {budget: 3, candidates: [{bits: 2}, {bits: 4}]}
        output: exported
        """)
        let work = TrackedWork(TwoLayerWork(method: recipe.method))
        let job = Job(work: work)
        let status = job.start()
        var state = RunState()
        for await e in job.events { state.apply(e) }
        _ = await status.value
        let layers = state.finished.map { l in
            AllocationPlan.Layer(name: l.name, weights: l.rows * l.cols,
                                 points: [.init(bitsPerWeight: 2, relativeError: 0.08), .init(bitsPerWeight: 4, relativeError: 0.004)],
                                 endToEndDamage: 0.01, sensitivity: 0.125)
        }
        state.allocation = try AllocationPlan(layers: layers, budget: 3.5, candidates: try #require(recipe.allocation).candidates, metric: .embeddingCosine)
        _ = try RunExporter(recipe: recipe, work: work, checkpoint: nil, base: base, toolVersion: "test").export(state)

        let folder = try RunFolder(existing: base.appendingPathComponent("exported"))
        #expect(try folder.allocation()?.budget == 3.5 && folder.recipe().allocation?.budget == 3)
        let warning = "the plan follows a budget of 3.5 bits/weight, chosen after the run began; the recipe below says 3.0"
        #expect(try RunReport.read(from: folder.url).warnings == [warning])
        #expect(try String(contentsOf: folder.url.appendingPathComponent("report.md"), encoding: .utf8).contains(warning))
    }
}
