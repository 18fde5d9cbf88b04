import Foundation
import QuantCore
import Testing
@testable import ModelKit

/// The committed forward-pass fixtures written by `scripts/make-tiny-models.py`.
enum ForwardFixtures {
    /// The tiny random checkpoints under `Fixtures/models/`.
    static let tinyModels = ["tiny-llama", "tiny-qwen2", "tiny-opt", "tiny-opt-postln", "tiny-gpt2", "tiny-bert"]

    /// The folder of a fixture, e.g. `models/tiny-llama` or `minilm`.
    static func folder(_ path: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil), "fixture \(path) missing")
    }

    /// A tiny checkpoint and its reference outputs.
    static func tiny(_ name: String) throws -> (TransformerModel, SafetensorsFile) {
        let folder = try folder("models/\(name)")
        let model = try TransformerModel(checkpoint: try Checkpoint(directory: folder))
        let reference = try SafetensorsFile(url: folder.appendingPathComponent("reference.safetensors"))
        return (model, reference)
    }

    /// An I64 tensor as `[Int]`.
    static func ids(_ file: SafetensorsFile, _ name: String) throws -> [Int] {
        let bytes = try file.bytes(name)
        return stride(from: 0, to: bytes.count, by: 8).map { start in
            Int(bytes[start..<start + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }

    /// The largest absolute difference between two matrices (infinity when the shapes differ).
    static func maxAbsDifference(_ a: Matrix<Float>, _ b: Matrix<Float>) -> Float {
        guard a.shape == b.shape else { return .infinity }
        return zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
