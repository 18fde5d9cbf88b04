import ArgumentParser
import Foundation
import ModelKit

/// `quantbench inspect [MODEL_DIR]`: architecture, linear layers, shapes, dtypes and parameter counts.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a checkpoint's architecture, linear layers, shapes, dtypes and parameter counts."
    )

    @Argument(help: "A known model (minilm, smollm2), a Hugging Face folder (safetensors, sharded or not) or a GGUF file. Default: minilm.")
    var modelDir: String?

    func run() throws {
        let dir = KnownModel.location(of: modelDir)
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw CommandFailure("no checkpoint at \(dir.path)" + KnownModel.installHint(for: modelDir))
        }
        let ckpt = try Checkpoint(directory: dir)
        var format = ""
        if case let .gguf(version) = ckpt.format {
            format = " · GGUF v\(version): \(ckpt.fileURLs[0].lastPathComponent), dequantized weights are the full-precision reference"
        }
        let total = ckpt.tensors.reduce(0) { $0 + $1.elementCount }
        let linears = ckpt.linearLayers
        let linearParams = linears.reduce(0) { $0 + $1.outFeatures * $1.inFeatures }
        let dtypes = Dictionary(grouping: ckpt.tensors, by: \.storedType).mapValues(\.count)
            .sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        print("\(ckpt.directory.lastPathComponent) · \(ckpt.config.modelType) · \(ckpt.config.layerCount) blocks · hidden \(ckpt.config.hiddenSize)")
        print("files: \(ckpt.fileURLs.count)\(ckpt.isSharded ? " (sharded)" : "")\(format) · tensors: \(ckpt.tensors.count) (\(dtypes))")
        if let packed = ckpt.packedWeights { print("quantized: \(packed)") }
        print("parameters: \(Self.count(total)) in all, \(Self.count(linearParams)) in \(linears.count) quantizable linears (\(String(format: "%.1f", 100 * Double(linearParams) / Double(max(total, 1))))%)")
        print("")
        let width = max(24, linears.map(\.name.count).max() ?? 0)
        print("block  " + "layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  [out, in]      params  dtype")
        for l in linears {
            let dtype = (try? ckpt.info(l.tensorName).storedType) ?? "?"
            let shape = "[\(l.outFeatures), \(l.inFeatures)]".padding(toLength: 12, withPad: " ", startingAt: 0)
            let params = Self.count(l.outFeatures * l.inFeatures)
            print(String(format: "%5d  ", l.block) + l.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  " + shape + String(repeating: " ", count: max(1, 10 - params.count)) + params + "  " + dtype
                  + (l.storedTransposed ? "  (Conv1D, transposed at load)" : ""))
        }
        // What the listing cannot show: whether every tensor the forward pass reads is there and fits the config.
        do { _ = try TransformerModel(checkpoint: ckpt) } catch {
            throw CommandFailure("the model cannot run: \(ErrorWords.describe(error))")
        }
    }

    /// 22.7M, 590k, 384.
    static func count(_ n: Int) -> String {
        if n >= 1_000_000 { return String(format: "%.1fM", Double(n) / 1e6) }
        if n >= 10_000 { return String(format: "%.0fk", Double(n) / 1e3) }
        return "\(n)"
    }
}
