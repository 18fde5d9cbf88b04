import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

private let scaleEnabled = ProcessInfo.processInfo.environment["QUANTBENCH_SCALE_TEST"] == "1"

/// A Llama with 7B-sized blocks (hidden 4096, MLP 11008, 32 heads), written as one F16 shard per block,
/// quantized by the block pipeline in bounded-memory mode: the anonymous memory of the process must stay
/// far below the model's size as fp32 (one block's working set, not the whole model).
@Suite(.enabled(if: scaleEnabled, "set QUANTBENCH_SCALE_TEST=1 to run the 7B-shaped memory test (writes 3.2 GB to a temp folder; make test does)"))
struct ScalePipelineTests {
    static let blocks = 8, hidden = 4096, mlp = 11008, vocab = 256

    @Test func aSevenBShapedModelIsQuantizedInOneBlocksMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qb-7b-shaped-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeCheckpoint(to: dir)
        let model = try TransformerModel(checkpoint: try Checkpoint(directory: dir))
        #expect(model.linearLayers.count == 7 * Self.blocks)
        let fp32Bytes = Double(model.linearLayers.reduce(0) { $0 + $1.outFeatures * $1.inFeatures }) * 4
        var rng = SeededGenerator(seed: 5)
        let windows = (0..<4).map { _ in (0..<32).map { _ in Int(rng.next() % UInt64(Self.vocab)) } }
        let pipeline = QuantizationPipeline(model: model, windows: windows, options: PipelineOptions(boundedMemory: true)) { _ in
            .rtn(try! GridOptions(bits: 4))
        }
        let sampler = AnonymousMemorySampler()
        var maxCachedBlocks = 0
        var worst = 0.0
        var blockPeaks: [Int] = []
        let solved = try pipeline.run(onEvent: { event in
            maxCachedBlocks = max(maxCachedBlocks, model.cachedBlockCount)
            switch event {
            case let .layerStarted(layer, _, _, _) where layer.block == blockPeaks.count + 1: blockPeaks.append(sampler.takePeak())
            case let .layerFinished(o): worst = max(worst, o.relativeError)
            default: break
            }
        })
        blockPeaks.append(sampler.takePeak())
        sampler.stop()
        let peak = blockPeaks.max() ?? 0
        #expect(solved == 7 * Self.blocks)
        #expect(maxCachedBlocks <= 1)
        // 4-bit RTN of Gaussian-like rows: ≈ (range/15)²/12 ≈ 0.02 of the weight energy for a ±3.75σ range
        // (not a rounding tolerance; 0.05 catches a broken grid or pipeline).
        #expect(worst > 0 && worst < 0.05)
        print(String(format: "7B-shaped, %d blocks: fp32 linears %.2f GB, peak anonymous memory %.2f GB; per block: %@", Self.blocks,
                     fp32Bytes / 1e9, Double(peak) / 1e9, blockPeaks.map { String(format: "%.2f", Double($0) / 1e9) }.joined(separator: " ")))
        #expect(blockPeaks.count == Self.blocks)
        // One block's working set: the later blocks need no more than the first two (nothing accumulates) …
        let early = blockPeaks.prefix(2).max() ?? 0
        #expect(Double(blockPeaks.dropFirst(2).max() ?? 0) <= 1.1 * Double(early), "per-block peaks \(blockPeaks)")
        // … and far less than the model as fp32.
        #expect(Double(peak) < 0.6 * fp32Bytes, "peak anonymous memory \(peak) bytes vs \(fp32Bytes) bytes of fp32 weights")
    }

    /// config.json, one F16 shard per block plus one for the embeddings, and the index.
    static func writeCheckpoint(to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": \(hidden), "intermediate_size": \(mlp),
         "num_attention_heads": 32, "num_key_value_heads": 32, "num_hidden_layers": \(blocks), "vocab_size": \(vocab),
         "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
         "tie_word_embeddings": true, "torch_dtype": "float16"}
        """
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.json"))
        var weightMap: [String: String] = [:]
        var seed: UInt64 = 1
        func f16(_ count: Int, scale: Float) -> TensorData {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var state = seed
            return .f16((0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let u = Float(state >> 40) / Float(1 << 24) - 0.5
                return Float16(u * 2 * scale)
            })
        }
        func shard(_ name: String, _ tensors: [(String, [Int], Float)]) throws {
            var w = SafetensorsWriter(metadata: ["format": "pt"])
            for (t, shape, scale) in tensors {
                let n = shape.reduce(1, *)
                try w.add(t, shape: shape, data: scale == 1 ? .f16([Float16](repeating: 1, count: n)) : f16(n, scale: scale))
                weightMap[t] = name
            }
            try w.write(to: dir.appendingPathComponent(name))
        }
        try shard("embed.safetensors", [("model.embed_tokens.weight", [vocab, hidden], 0.02), ("model.norm.weight", [hidden], 1)])
        for b in 0..<blocks {
            let p = "model.layers.\(b)."
            let s = 1 / Float(hidden).squareRoot()
            try shard("block-\(b).safetensors", [
                (p + "self_attn.q_proj.weight", [hidden, hidden], s), (p + "self_attn.k_proj.weight", [hidden, hidden], s),
                (p + "self_attn.v_proj.weight", [hidden, hidden], s), (p + "self_attn.o_proj.weight", [hidden, hidden], s),
                (p + "mlp.gate_proj.weight", [mlp, hidden], s), (p + "mlp.up_proj.weight", [mlp, hidden], s),
                (p + "mlp.down_proj.weight", [hidden, mlp], 1 / Float(mlp).squareRoot()),
                (p + "input_layernorm.weight", [hidden], 1), (p + "post_attention_layernorm.weight", [hidden], 1),
            ])
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:] as [String: String], "weight_map": weightMap])
        try index.write(to: dir.appendingPathComponent("model.safetensors.index.json"))
    }
}

/// Samples the process's anonymous resident memory (RssAnon: heap and private maps, not the mapped
/// checkpoint) every 20 ms on a thread of its own; `takePeak()` returns the peak in bytes of a window.
final class AnonymousMemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var running = true

    init() {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                let now = Self.rssAnon()
                lock.withLock { peak = max(peak, now) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.start()
    }

    /// The peak since the sampler started or since the last `takePeak`; the next window starts at the
    /// current level.
    func takePeak() -> Int {
        let now = Self.rssAnon()
        return lock.withLock {
            defer { peak = now }
            return max(peak, now)
        }
    }

    func stop() {
        lock.withLock { running = false }
    }

    static func rssAnon() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}
