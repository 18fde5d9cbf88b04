import Foundation
import ModelKit
import QuantCore

/// An experiment: which model, which calibration text, which pipeline, which layers, which method (and
/// which methods to compare against), and where the run folder goes. Written as YAML in
/// `Experiments/*.yaml`; see `RecipeParser` for the keys.
public struct Recipe: Sendable, Equatable {
    /// Where calibration text comes from.
    public enum CalibrationSource: Sendable, Equatable {
        /// The documentation topics that ship with python3, split 80/20 into calibration and held-out text.
        case demo
        /// A plain-text or JSONL (`"text"` field) file.
        case file(String)
    }

    public var name: String
    /// A checkpoint folder, or nil for the demo model.
    public var model: String?
    public var calibrationSource: CalibrationSource
    public var samples: Int
    public var sequenceLength: Int
    public var seed: UInt64
    public var pipeline: PipelineOptions
    public var method: LayerMethod
    /// Methods solved on every layer beside `method`, for the comparison in reports and the workbench.
    public var compare: [LayerMethod]
    /// The run folder, or nil for `runs/<name>-<timestamp>`.
    public var output: String?
    /// QDEC evaluation at the end of the run, when the recipe has a `qdec:` section.
    public var compensation: CompensationSettings? = nil
    /// The recipe as written (kept in run.json).
    public var text: String

    public init(name: String, model: String?, calibrationSource: CalibrationSource, samples: Int, sequenceLength: Int,
                seed: UInt64, pipeline: PipelineOptions, method: LayerMethod, compare: [LayerMethod], output: String?, text: String) {
        self.name = name
        self.model = model
        self.calibrationSource = calibrationSource
        self.samples = samples
        self.sequenceLength = sequenceLength
        self.seed = seed
        self.pipeline = pipeline
        self.method = method
        self.compare = compare
        self.output = output
        self.text = text
    }
}

/// A recipe fault, with the line it is on.
public struct RecipeError: Error, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String? = nil, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = [file, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

extension Recipe.CalibrationSource {
    /// The text, split by `seed` into calibration and held-out parts (80/20).
    public func load(seed: UInt64) throws -> CalibrationSplit {
        switch self {
        case .demo: return try CalibrationText.pythonDocumentationTopics(seed: seed)
        case let .file(path): return try CalibrationText(contentsOf: URL(fileURLWithPath: path)).split(seed: seed)
        }
    }
}
