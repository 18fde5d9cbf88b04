import ArgumentParser
import Engine
import Foundation
import ModelKit

/// The run folder `eval` and `generate` apply in memory, and the models it gives.
struct QuantizedRunOptions: ParsableArguments {
    @Option(help: "A run folder whose quantized layers are applied in memory (fake-quant).")
    var quantized: String?
    @Flag(help: "Apply the run's layers even to a checkpoint other than the one they were solved on (or one changed since).")
    var anyCheckpoint = false

    /// The reference model (`modelDir`, else the run's) and the run's quantized copy; progress notes go to stderr.
    func models(modelDir: String?) throws -> RunModels {
        try RunModels(modelDirectory: modelDir.map { KnownModel.location(of: $0) }, run: quantized.map { URL(fileURLWithPath: $0) },
                      anyCheckpoint: anyCheckpoint) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    }
}
