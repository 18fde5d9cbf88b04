import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// The bounded-memory pipeline gives the same layers as the normal one, keeps no Σ and leaves the model
/// as it found it.
struct PipelineBoundedMemoryTests {
    static func run(_ model: String, bounded: Bool) throws -> (TransformerModel, QuantizationPipeline, [String: Double]) {
        let model = try EngineFixtures.tiny(model)
        var rng = SeededGenerator(seed: 3)
        let vocabulary = 64
        let windows = (0..<3).map { _ in (0..<12).map { _ in Int(rng.next() % UInt64(vocabulary)) } }
        let pipeline = QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(boundedMemory: bounded)) { _ in
            .gptq(try! GPTQOptions(grid: try! GridOptions(bits: 3)))
        }
        var errors: [String: Double] = [:]
        try pipeline.run(onEvent: { if case let .layerFinished(o) = $0 { errors[o.layer.name] = o.relativeError } })
        return (model, pipeline, errors)
    }

    @Test(arguments: ["tiny-llama", "tiny-opt"])
    func sameLayersNoSigmaAndTheModelRestored(_ name: String) throws {
        let (plain, plainPipeline, plainErrors) = try Self.run(name, bounded: false)
        let (bounded, boundedPipeline, boundedErrors) = try Self.run(name, bounded: true)
        #expect(boundedErrors.count == plain.linearLayers.count && boundedErrors == plainErrors)
        #expect(plainPipeline.hessians.count == plain.linearLayers.count && boundedPipeline.hessians.isEmpty)
        #expect(bounded.cachedBlockCount == 0, "every block's weights leave memory after the block")
        let tokens = [1, 5, 9, 2, 7]
        let fresh = try EngineFixtures.tiny(name)
        #expect(try bounded.forward(tokens) == fresh.forward(tokens), "bounded memory restores the checkpoint weights")
        #expect(try plain.forward(tokens) != fresh.forward(tokens), "the normal pipeline keeps the quantized weights")
    }
}
