import ArgumentParser
import Foundation
import ModelKit

/// `quantbench inspect [MODEL_DIR]`: architecture, linear layers, shapes, dtypes and parameter counts.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a checkpoint's architecture, linear layers, shapes, dtypes and parameter counts."
    )

    @Argument(help: "A Hugging Face checkpoint folder (safetensors, sharded or not). Default: the demo model.")
    var modelDir: String?

    func run() throws {
        let dir = modelDir.map { URL(fileURLWithPath: $0) } ?? DemoModel.defaultDirectory
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw ValidationError("no checkpoint at \(dir.path)" + (modelDir == nil ? ": run scripts/fetch-demo-model.sh (or make run) to install the demo model" : ""))
        }
        let ckpt = try Checkpoint(directory: dir)
        let total = ckpt.tensors.reduce(0) { $0 + $1.elementCount }
        let linears = ckpt.linearLayers
        let linearParams = linears.reduce(0) { $0 + $1.outFeatures * $1.inFeatures }
        let dtypes = Dictionary(grouping: ckpt.tensors, by: { $0.dtype.rawValue }).mapValues(\.count)
            .sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        print("\(dir.lastPathComponent) · \(ckpt.config.modelType) · \(ckpt.config.layerCount) blocks · hidden \(ckpt.config.hiddenSize)")
        print("files: \(ckpt.files.count)\(ckpt.isSharded ? " (sharded)" : "") · tensors: \(ckpt.tensors.count) (\(dtypes))")
        print("parameters: \(Self.count(total)) in all, \(Self.count(linearParams)) in \(linears.count) quantizable linears (\(String(format: "%.1f", 100 * Double(linearParams) / Double(max(total, 1))))%)")
        print("")
        let width = max(24, linears.map(\.name.count).max() ?? 0)
        print("block  " + "layer".padding(toLength: width, withPad: " ", startingAt: 0) + "  [out, in]      params  dtype")
        for l in linears {
            let dtype = (try? ckpt.info(l.tensorName).dtype.rawValue) ?? "?"
            let shape = "[\(l.outFeatures), \(l.inFeatures)]".padding(toLength: 12, withPad: " ", startingAt: 0)
            let params = Self.count(l.outFeatures * l.inFeatures)
            print(String(format: "%5d  ", l.block) + l.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  " + shape + String(repeating: " ", count: max(1, 10 - params.count)) + params + "  " + dtype
                  + (l.storedTransposed ? "  (Conv1D, transposed at load)" : ""))
        }
    }

    /// 22.7M, 590k, 384.
    static func count(_ n: Int) -> String {
        if n >= 1_000_000 { return String(format: "%.1fM", Double(n) / 1e6) }
        if n >= 10_000 { return String(format: "%.0fk", Double(n) / 1e3) }
        return "\(n)"
    }
}
