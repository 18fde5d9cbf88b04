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
    /// Per-layer configurations chosen under a bits/weight budget, when the recipe has an `allocate:` section.
    public var allocation: AllocationSettings? = nil
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

    /// Calibration windows a recipe may ask for.
    public static let sampleLimits = 1...100_000
    /// Tokens per calibration window a recipe may ask for.
    public static let sequenceLengthLimits = 8...1_000_000

    /// A recipe built in code (from command-line flags), checked by the rules `RecipeParser` applies to
    /// the same values; its `text` is its canonical YAML, which the parser reads back to an equal recipe.
    public init(validating name: String, model: String?, calibrationSource: CalibrationSource, samples: Int, sequenceLength: Int,
                seed: UInt64, pipeline: PipelineOptions, method: LayerMethod, compare: [LayerMethod] = [], output: String?,
                compensation: CompensationSettings? = nil) throws {
        if let fault = Self.nameFault(name) { throw RecipeError(line: nil, fault) }
        if let output, let fault = Self.outputFault(output) { throw RecipeError(line: nil, fault) }
        guard Self.sampleLimits.contains(samples) else {
            throw RecipeError(line: nil, "calibration.samples: \(samples) is outside \(Self.sampleLimits.lowerBound)…\(Self.sampleLimits.upperBound)")
        }
        guard Self.sequenceLengthLimits.contains(sequenceLength) else {
            throw RecipeError(line: nil, "calibration.sequence_length: \(sequenceLength) is outside "
                              + "\(Self.sequenceLengthLimits.lowerBound)…\(Self.sequenceLengthLimits.upperBound)")
        }
        if case let .file(path) = calibrationSource, path.isEmpty { throw RecipeError(line: nil, "calibration.source must not be empty") }
        self.init(name: name, model: model, calibrationSource: calibrationSource, samples: samples, sequenceLength: sequenceLength, seed: seed,
                  pipeline: pipeline, method: method, compare: compare, output: output, text: "")
        self.compensation = compensation
        text = yaml()
    }

    /// Why `name` cannot name a run (it becomes a folder name under `runs/`), or nil.
    static func nameFault(_ name: String) -> String? {
        if name.isEmpty { return "name must not be empty" }
        if name.contains("/") || name.contains("\\") || name.hasPrefix(".") {
            return "name '\(name)' is not a plain name: it names a folder under runs/, so it cannot hold '/' or '\\' or start with '.'"
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "name must not hold control characters"
        }
        return nil
    }

    /// Why `output` cannot be a run folder, or nil.
    static func outputFault(_ output: String) -> String? {
        output.allSatisfy(\.isWhitespace) ? "output must name a folder (leave it out for runs/<name>-<time>)" : nil
    }

    /// A block or block range as recipes write it: `3`, `0-5` or `2..4` (inclusive); nil when malformed.
    public static func blockRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.replacingOccurrences(of: "..", with: "-").split(separator: "-", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch parts.count {
        case 1: if let a = parts[0], a >= 0 { return a...a }
        case 2: if let a = parts[0], let b = parts[1], a >= 0, a <= b { return a...b }
        default: break
        }
        return nil
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
