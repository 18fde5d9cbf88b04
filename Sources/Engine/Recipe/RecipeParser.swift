import Foundation
import ModelKit
import QuantCore
import Yams

/// Reads a recipe from YAML, rejecting unknown keys and bad values with the line and the reason.
///
/// ```yaml
/// name: minilm-quantease-3bit
/// model: demo                      # or a checkpoint folder
/// calibration: {source: demo, samples: 128, sequence_length: 128, seed: 0}
/// pipeline: {mode: block-sequential, true_sequential: false}
/// layers: {include: ["*"], blocks: 0-5}
/// method: {name: quantease, bits: 3, sweeps: 30, init: gptq}
/// compare: [{name: gptq}, {name: rtn}]   # same bits unless given
/// # or method: {name: aqlm, num_codebooks: 2, nbits_per_codebook: 8, in_group_size: 8}
/// qdec: {k_chunk: [0, 4, 8, 16], selection: [bucket, topk-chunk], positions: 2048}   # optional
/// allocate: {budget: 3.25, candidates: [{bits: 2}, {bits: 3}, {bits: 4}], sensitivity_windows: 8}   # optional
/// finetune: {epochs: 4, lr: 0.003, batch: 4, held_out: 0.125, patience: 2, train: [scales, norms]}   # optional
/// output: runs/minilm-quantease-3bit
/// ```
public enum RecipeParser {
    static let topKeys: Set<String> = ["name", "model", "calibration", "pipeline", "layers", "method", "compare", "output", "qdec", "finetune", "allocate"]
    static let calibrationKeys: Set<String> = ["source", "samples", "sequence_length", "seed"]
    static let pipelineKeys: Set<String> = ["mode", "true_sequential", "bounded_memory"]
    static let layerKeys: Set<String> = ["include", "blocks"]
    static let compensationKeys: Set<String> = ["k_chunk", "selection", "positions"]
    static let allocationKeys: Set<String> = ["budget", "candidates", "sensitivity_windows"]
    static let tuningKeys: Set<String> = ["epochs", "lr", "batch", "held_out", "patience", "train"]
    /// `name` and every setting of the method schema.
    static let methodKeys: Set<String> = Set(["name"] + MethodSchema.settings.map(\.key))

    /// Parses a recipe file.
    public static func parse(contentsOf url: URL) throws -> Recipe {
        let read: String?
        do { read = try RegularFile.text(of: url) } catch {
            throw RecipeError(file: url.path, line: nil, "cannot read the recipe: \(error.reason)")
        }
        guard let text = read else { throw RecipeError(file: url.path, line: nil, "the recipe is not UTF-8 text") }
        do {
            return try parse(text, defaultName: url.deletingPathExtension().lastPathComponent)
        } catch var e as RecipeError {
            e.file = url.path
            throw e
        }
    }

    /// Parses recipe text.
    public static func parse(_ text: String, defaultName: String = "run") throws -> Recipe {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw RecipeError(line: 1, "the recipe is empty") }
            root = node
        } catch let e as RecipeError { throw e } catch let YamlError.scanner(_, problem, mark, _) {
            throw RecipeError(line: mark.line, "YAML syntax: \(problem)")
        } catch let YamlError.parser(_, problem, mark, _) {
            throw RecipeError(line: mark.line, "YAML syntax: \(problem)")
        } catch {
            throw RecipeError(line: nil, "YAML: \(error)")
        }
        let top = try Fields(root, allowed: topKeys, section: "recipe")
        let name = try top.string("name") ?? defaultName
        if let fault = Recipe.nameFault(name) { throw RecipeError(line: top.line("name"), fault) }
        let model = try top.string("model").flatMap { $0 == "demo" ? nil : $0 }

        let cal = try top.section("calibration", allowed: calibrationKeys)
        let source = try cal?.string("source") ?? "demo"
        guard !source.allSatisfy(\.isWhitespace) else {
            throw RecipeError(line: cal?.line("source"), "calibration.source must name a .txt or .jsonl file, or be demo")
        }
        let samples = try cal?.int("samples", in: Recipe.sampleLimits) ?? 128
        let seqlen = try cal?.int("sequence_length", in: Recipe.sequenceLengthLimits) ?? 128
        let seed = UInt64(try cal?.int("seed", in: 0...Int.max) ?? 0)

        let pipe = try top.section("pipeline", allowed: pipelineKeys)
        let modeText = try pipe?.string("mode") ?? PipelineMode.blockSequential.rawValue
        guard let mode = PipelineMode(rawValue: modeText) else {
            throw RecipeError(line: pipe?.line("mode"), "pipeline.mode '\(modeText)' is not one of \(PipelineMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let trueSequential = try pipe?.bool("true_sequential") ?? false
        let boundedMemory = try pipe?.bool("bounded_memory") ?? false

        let layers = try top.section("layers", allowed: layerKeys)
        let include = try layers?.strings("include") ?? []
        let blocks = try layers?.blockRange("blocks")

        guard let methodNode = top.node("method") else { throw RecipeError(line: top.line, "the recipe has no 'method' section") }
        let method = try methodSpec(try Fields(methodNode, allowed: methodKeys, section: "method"), defaultBits: nil)
        var compare: [LayerMethod] = []
        if let cmp = top.node("compare") {
            guard let seq = cmp.sequence else { throw RecipeError(line: cmp.mark?.line, "'compare' must be a list of methods") }
            for item in seq {
                if let s = item.scalar?.string {
                    compare.append(try methodSpec(try Fields(Node.mapping(["name": Node(s)]), allowed: methodKeys, section: "compare", line: item.mark?.line),
                                                  defaultBits: method.grid?.bits))
                } else {
                    compare.append(try methodSpec(try Fields(item, allowed: methodKeys, section: "compare"), defaultBits: method.grid?.bits))
                }
            }
        }
        let output = try top.string("output")
        if let output, let fault = Recipe.outputFault(output) { throw RecipeError(line: top.line("output"), fault) }
        var recipe = Recipe(name: name, model: model, calibrationSource: source == "demo" ? .demo : .file(source), samples: samples,
                            sequenceLength: seqlen, seed: seed,
                            pipeline: PipelineOptions(mode: mode, trueSequential: trueSequential,
                                                      selection: LayerSelection(patterns: include, blocks: blocks), boundedMemory: boundedMemory,
                                                      tuning: try top.section("finetune", allowed: tuningKeys).map(tuning)),
                            method: method, compare: compare, output: output, text: text)
        recipe.compensation = try top.section("qdec", allowed: compensationKeys).map(compensation)
        recipe.allocation = try top.section("allocate", allowed: allocationKeys).map { try allocation($0, method: method) }
        return recipe
    }

    /// Builds the allocation settings from an `allocate:` mapping; each candidate is the recipe's method with
    /// the settings it gives (its name too, when it gives one), and without candidates the defaults for the method.
    static func allocation(_ f: Fields, method: LayerMethod) throws -> AllocationSettings {
        guard let budget = try f.double("budget") else { throw RecipeError(line: f.line, "allocate needs a budget (mean bits per weight)") }
        guard AllocationSettings.budgetRange.contains(budget) else {
            throw RecipeError(line: f.line("budget"), "allocate.budget: \(budget) is outside \(AllocationSettings.budgetRange.lowerBound)…\(AllocationSettings.budgetRange.upperBound)")
        }
        var candidates = AllocationSettings.defaultCandidates(for: method)
        if let node = f.node("candidates") {
            guard let items = node.sequence, !items.isEmpty else { throw RecipeError(line: node.mark?.line, "allocate.candidates must be a list of settings") }
            candidates = try items.map { item in
                guard var entries = item.mapping else { throw RecipeError(line: item.mark?.line, "allocate.candidates: every item is a mapping of settings") }
                // The recipe's method settings carry over to a candidate of the same method.
                let named = entries[Node("name")]?.scalar?.string ?? method.name
                if named == method.name {
                    let inherited = [("name", method.name)] + MethodSchema.orderedValues(of: method).map { ($0.setting.key, $0.value.text) }
                    for (key, value) in inherited where entries[Node(key)] == nil { entries[Node(key)] = Node(value) }
                }
                return try methodSpec(try Fields(Node.mapping(entries), allowed: methodKeys, section: "allocate.candidates", line: item.mark?.line),
                                      defaultBits: method.grid?.bits)
            }
        }
        let windows = try f.int("sensitivity_windows", in: AllocationSettings.sensitivityWindowRange) ?? 8
        return AllocationSettings(budget: budget, candidates: candidates, sensitivityWindows: windows)
    }

    /// Builds the block fine-tuning options from a `finetune:` mapping (defaults for what it leaves out).
    static func tuning(_ f: Fields) throws -> BlockTuningOptions {
        typealias O = BlockTuningOptions
        var o = O()
        func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let v = try f.double(key) else { return nil }
            guard range.contains(v) else { throw RecipeError(line: f.line(key), "finetune.\(key): \(v) is outside \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        o.epochs = try f.int("epochs", in: O.epochRange) ?? o.epochs
        o.learningRate = try number("lr", in: O.learningRateRange) ?? o.learningRate
        o.batchWindows = try f.int("batch", in: O.batchRange) ?? o.batchWindows
        o.heldOutFraction = try number("held_out", in: O.heldOutRange) ?? o.heldOutFraction
        o.patience = try f.int("patience", in: O.patienceRange) ?? o.patience
        if let names = try f.strings("train") {
            o.groups = try names.map { name in
                guard let group = TunableGroup(rawValue: name) else {
                    throw RecipeError(line: f.line("train"), "finetune.train: '\(name)' is not one of \(TunableGroup.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return group
            }.sorted()
            guard !o.groups.isEmpty else { throw RecipeError(line: f.line("train"), "finetune.train names nothing to train") }
        }
        return o
    }

    /// Builds the QDEC settings from a `qdec:` mapping.
    static func compensation(_ q: Fields) throws -> CompensationSettings {
        func located<T>(_ key: String, _ result: Result<T, RecipeError>) throws -> T {
            do { return try result.get() } catch { throw RecipeError(line: q.line(key), "qdec.\(error.message)") }
        }
        let kChunks = try q.strings("k_chunk").map { try located("k_chunk", CompensationSettings.kChunks($0.joined(separator: ","))) }
        let selections = try q.strings("selection").map { try located("selection", CompensationSettings.selections($0)) }
        return CompensationSettings(kChunks: kChunks ?? CompensationSettings.defaultKChunks, selections: selections ?? CompensationSettings.defaultSelections,
                                    positions: try q.int("positions", in: 1...100_000_000) ?? CompensationSettings.defaultPositions)
    }

    /// Builds a `LayerMethod` from a `method:` mapping through the method schema; a compare entry without
    /// `bits` takes `defaultBits` (the main method's).
    static func methodSpec(_ m: Fields, defaultBits: Int?) throws -> LayerMethod {
        guard let name = try m.string("name") else { throw RecipeError(line: m.line, "\(m.section) needs a 'name' (\(MethodName.list))") }
        guard let method = MethodName(rawValue: name) else {
            throw RecipeError(line: m.line("name"), "unknown method '\(name)': expected \(MethodName.list)")
        }
        var values: [String: SettingValue] = [:]
        for key in m.keys where key != "name" {
            guard let setting = MethodSchema.setting(key), let text = try m.string(key) else { continue }
            do { values[key] = try setting.type.parse(text) } catch {
                throw RecipeError(line: m.line(key), "\(m.section).\(key): \(error)")
            }
        }
        if values["bits"] == nil, let defaultBits, MethodSchema.applicable(to: method, values: values).contains(where: { $0.key == "bits" }) {
            values["bits"] = .int(defaultBits)
        }
        do {
            return try MethodSchema.method(method, values: values)
        } catch {
            throw recipeError(error, in: m)
        }
    }
}

extension RecipeParser {
    /// A schema fault on the line of its key: `method.beam_size: 0 is outside 1…1024`,
    /// `method: 'damping' does not apply to quantease without init: gptq`.
    static func recipeError(_ error: MethodSchemaError, in m: Fields) -> RecipeError {
        let line = error.key.map { m.line($0) } ?? m.line
        let path = "\(m.section).\(error.key ?? "name")"
        switch error.fault {
        case let .badValue(fault): return RecipeError(line: line, "\(path): \(fault)")
        case let .invalid(value, expected): return RecipeError(line: line, "\(path) = \(value) is invalid: expected \(expected)")
        default:
            return RecipeError(line: line, "\(m.section): " + error.message(
                name: { "'\($0)'" }, condition: { "\($0.key): \($0.value.text)" }, method: { $0.rawValue }))
        }
    }
}
