import Foundation
import ModelKit
import QuantCore

/// A run's folder: the recipe as given (`recipe.yaml`) and its fingerprints (`provenance.json`), every
/// solved layer as safetensors (`layers/<layer>.safetensors`: codes, grids, `g_idx`, outliers, the
/// dequantized weight, and the layer's summary and sweep series as JSON metadata), the comparisons of each
/// layer (`comparisons/<layer>.json`), the method each layer was solved with (`layer-methods.json`), each
/// fine-tuned block's trained norms and biases with its summary (`tuning/block-<n>.safetensors`), and the
/// reports the Reports module writes beside them. Every file is written to a temporary name and renamed,
/// so an interrupted run never leaves half a file.
public struct RunFolder: Sendable {
    public let url: URL
    public static let recipeFile = "recipe.yaml"
    public static let layersFolder = "layers"
    public static let comparisonsFolder = "comparisons"
    public static let methodsFile = "layer-methods.json"
    public static let tuningFolder = "tuning"
    public static let allocationFile = "allocation.json"
    /// What `clear()` removes: everything a run derives from its recipe.
    static let derived = [layersFolder, comparisonsFolder, methodsFile, tuningFolder, allocationFile, RunProvenance.fileName, RunEvaluation.fileName, RunPart.fileName, "run.json"]

    /// Where a new run of `recipe` writes: its `output` (relative to `base`), or `<base>/runs/<name>-<yyyyMMdd-HHmmss>`.
    public static func location(for recipe: Recipe, base: URL, now: Date = Date()) -> URL {
        if let output = recipe.output {
            return URL(fileURLWithPath: output, isDirectory: true, relativeTo: URL(fileURLWithPath: base.path, isDirectory: true)).standardizedFileURL
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return base.appendingPathComponent("runs").appendingPathComponent("\(recipe.name)-\(f.string(from: now))")
    }

    /// Makes `url` the folder of a run of `recipe`: a new folder gets the recipe; a folder the same recipe
    /// made is kept as it is (the run resumes it); a folder another or an edited recipe made is refused,
    /// unless `restart`, which clears its layers first. Hold the folder's `RunFolderLock` around this.
    public static func prepare(for recipe: Recipe, at url: URL, restart: Bool) throws -> RunFolder {
        let folder = RunFolder(url: url)
        let fingerprint = RunProvenance.fingerprint(of: recipe)
        var provenance = RunProvenance(recipe: fingerprint)
        if FileManager.default.fileExists(atPath: folder.file(recipeFile).path) {
            if restart {
                try folder.clear()
            } else {
                guard try folder.recordedRecipeFingerprint() == fingerprint else { throw RunFolderError.recipeMismatch(path: url.path) }
                provenance = try folder.provenance() ?? provenance
            }
        }
        try folder.makeDirectory(url)
        // Writes a killed run left half done (the caller holds the folder's lock, so no one else is writing).
        for place in [url, folder.file(layersFolder), folder.file(comparisonsFolder)] { AtomicFile.removeLeftovers(in: place) }
        try folder.write(Data(recipe.text.utf8), to: folder.file(recipeFile))
        try folder.write(provenance)
        return folder
    }

    /// An existing run folder (to resume, evaluate or re-export).
    public init(existing url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(Self.recipeFile).path) else {
            throw RecipeError(file: url.path, line: nil, "not a run folder: no \(Self.recipeFile)")
        }
        self.url = url
    }

    private init(url: URL) { self.url = url }

    /// The recipe the run was started with.
    public func recipe() throws -> Recipe { try RecipeParser.parse(contentsOf: file(Self.recipeFile)) }

    /// The recipe, refused when `recipe.yaml` was edited after the run began (its fingerprint no longer
    /// matches the one recorded), since the layers were solved by the recorded one.
    public func verifiedRecipe() throws -> Recipe {
        let recipe = try recipe()
        if let recorded = try provenance()?.recipe, recorded != RunProvenance.fingerprint(of: recipe) {
            throw RunFolderError.recipeMismatch(path: url.path)
        }
        return recipe
    }

    /// What the folder was made from, when recorded (folders of older builds have no `provenance.json`).
    public func provenance() throws -> RunProvenance? {
        let path = file(RunProvenance.fileName)
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        return try read(RunProvenance.self, from: path)
    }

    /// Records the checkpoint the run solves on; refuses one other than the checkpoint the folder's layers
    /// came from.
    public func record(checkpoint directory: URL) throws {
        let current = RunProvenance.CheckpointRecord(directory: directory.standardizedFileURL.path,
                                                     fingerprint: try RunProvenance.fingerprint(ofCheckpoint: directory))
        var provenance = try provenance() ?? RunProvenance(recipe: RunProvenance.fingerprint(of: try recipe()))
        if let recorded = provenance.checkpoint, recorded.fingerprint != current.fingerprint, !(try finishedLayers().isEmpty) {
            throw RunFolderError.checkpointMismatch(path: url.path, recorded: recorded.directory, current: current.directory)
        }
        provenance.checkpoint = current
        try write(provenance)
    }

    /// Saves a solved layer (replacing an earlier result of the same layer) and the method it was solved
    /// with. A partial layer (its solve was cancelled) is marked so in its metadata.
    public func save(_ layer: FinishedLayer, method: LayerMethod?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = [
            "summary": String(decoding: try encoder.encode(layer.summary), as: UTF8.self),
            "sweeps": String(decoding: try encoder.encode(layer.sweeps), as: UTF8.self),
            "method": layer.summary.method.summary,
            "bits": "\(layer.layer.bits)",
        ]
        if layer.partial { metadata["cancelled"] = "true" }
        try makeDirectory(file(Self.layersFolder))
        var writer = SafetensorsWriter(metadata: metadata)
        try QuantizedLayerTensors.add(layer.layer, to: &writer)
        try writer.write(to: layerURL(layer.summary.name))
        if let method {
            var methods = try layerMethods()
            methods[layer.summary.name] = method
            try write(methods, to: file(Self.methodsFile))
        }
    }

    /// Appends a finished comparison solve of a layer.
    public func saveComparison(_ summary: LayerSummary) throws {
        let path = comparisonsURL(summary.name)
        try makeDirectory(path.deletingLastPathComponent())
        try write(try comparisons(at: path) + [summary], to: path)
    }

    /// Every layer saved so far, by name, with its saved comparisons.
    public func finishedLayers() throws -> [String: FinishedLayer] {
        let dir = file(Self.layersFolder)
        guard let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { return [:] }
        var out: [String: FinishedLayer] = [:]
        let decoder = JSONDecoder()
        for file in files where file.pathExtension == "safetensors" {
            let st = try SafetensorsFile(url: file)
            guard let summaryText = st.metadata["summary"] else { continue }
            let summary = try decoder.decode(LayerSummary.self, from: Data(summaryText.utf8))
            let sweeps = try st.metadata["sweeps"].map { try decoder.decode([SolverProgress].self, from: Data($0.utf8)) } ?? []
            out[summary.name] = FinishedLayer(layer: try QuantizedLayerTensors.read(st), summary: summary, sweeps: sweeps,
                                              partial: st.metadata["cancelled"] == "true",
                                              comparisons: try comparisons(at: comparisonsURL(summary.name)))
        }
        return out
    }

    /// The method each saved layer was solved with (`layer-methods.json`), from which the run can be rebuilt.
    public func layerMethods() throws -> [String: LayerMethod] {
        let path = file(Self.methodsFile)
        guard FileManager.default.fileExists(atPath: path.path) else { return [:] }
        return try read([String: LayerMethod].self, from: path)
    }

    /// Saves a fine-tuned block: its layers' trained values into their layer files (summaries and sweeps
    /// kept: those are the layer-wise solve's), then the block's trained tensors and summary. The block file
    /// comes last, so a block interrupted half-way is tuned again on resume.
    public func saveTuning(_ tuned: TunedBlock, layers: [String: QuantizedLayer<Float>]) throws {
        let saved = try finishedLayers()
        for (name, layer) in layers {
            guard var kept = saved[name] else { throw RunFolderError.io(path: layerURL(name).path, reason: "the tuned layer was never saved") }
            kept.layer = layer
            try save(kept, method: nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var writer = SafetensorsWriter(metadata: ["summary": String(decoding: try encoder.encode(tuned.summary), as: UTF8.self)])
        for (name, values) in tuned.vectors { try writer.add(name, shape: [values.count], data: .f32(values)) }
        try makeDirectory(file(Self.tuningFolder))
        try writer.write(to: tuningURL(tuned.summary.block))
    }

    /// Saves what the bit allocator measured and chose.
    public func saveAllocation(_ plan: AllocationPlan) throws { try write(plan, to: file(Self.allocationFile)) }

    /// The run's allocation, nil for a run without a budget.
    public func allocation() throws -> AllocationPlan? {
        let path = file(Self.allocationFile)
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        return try read(AllocationPlan.self, from: path)
    }

    /// Every fine-tuned block saved so far, by block index.
    public func tunedBlocks() throws -> [Int: TunedBlock] {
        let dir = file(Self.tuningFolder)
        guard let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { return [:] }
        var out: [Int: TunedBlock] = [:]
        for file in files where file.pathExtension == "safetensors" {
            let st = try SafetensorsFile(url: file)
            guard let text = st.metadata["summary"] else { continue }
            let summary = try JSONDecoder().decode(BlockTuningSummary.self, from: Data(text.utf8))
            var vectors: [String: [Float]] = [:]
            for info in st.tensors { vectors[info.name] = try st.floats(info.name) }
            out[summary.block] = TunedBlock(summary: summary, vectors: vectors)
        }
        return out
    }

    /// Puts every saved layer's weights and every tuned block's norms and biases into `model` (fake-quant)
    /// and returns the layers by name.
    public func applyLayers(to model: TransformerModel) throws -> [String: QuantizedLayer<Float>] {
        let layers = try finishedLayers().mapValues(\.layer)
        for (name, layer) in layers { try model.replaceWeight(name, with: layer.dequantized()) }
        for (name, values) in try tunedBlocks().values.flatMap(\.vectors) { try model.replaceVector(name, with: values) }
        return layers
    }

    /// Removes what a run derived from its recipe (layers, comparisons, methods, fingerprints, run.json),
    /// so the folder can start over.
    public func clear() throws {
        for name in Self.derived where FileManager.default.fileExists(atPath: file(name).path) {
            do { try FileManager.default.removeItem(at: file(name)) } catch {
                throw RunFolderError.io(path: file(name).path, reason: "cannot remove: \(ErrorWords.describe(error))")
            }
        }
    }

    func layerURL(_ name: String) -> URL { file(Self.layersFolder).appendingPathComponent(Self.fileName(name) + ".safetensors") }
    func tuningURL(_ block: Int) -> URL { file(Self.tuningFolder).appendingPathComponent("block-\(block).safetensors") }
    func comparisonsURL(_ name: String) -> URL { file(Self.comparisonsFolder).appendingPathComponent(Self.fileName(name) + ".json") }

    private static func fileName(_ layer: String) -> String {
        String(layer.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "_" })
    }

    private func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The recipe fingerprint recorded at the start, or (folders of older builds) that of `recipe.yaml`.
    private func recordedRecipeFingerprint() throws -> String {
        try provenance()?.recipe ?? RunProvenance.fingerprint(of: try recipe())
    }

    private func comparisons(at path: URL) throws -> [LayerSummary] {
        guard FileManager.default.fileExists(atPath: path.path) else { return [] }
        return try read([LayerSummary].self, from: path)
    }

    private func write(_ provenance: RunProvenance) throws { try write(provenance, to: file(RunProvenance.fileName)) }

    private func write<T: Encodable>(_ value: T, to path: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(value), to: path)
    }

    private func write(_ data: Data, to path: URL) throws {
        do { try AtomicFile.write(data, to: path) } catch {
            throw RunFolderError.io(path: path.path, reason: "cannot write: \(error.reason)")
        }
    }

    private func read<T: Decodable>(_ type: T.Type, from path: URL) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(try RegularFile.contents(of: path))) } catch let error as FileReadError {
            throw RunFolderError.io(path: path.path, reason: error.reason)
        } catch {
            throw RunFolderError.io(path: path.path, reason: "unreadable: \(ErrorWords.describe(error))")
        }
    }

    private func makeDirectory(_ path: URL) throws {
        do { try AtomicFile.makeFolder(path) } catch { throw RunFolderError.io(path: error.path, reason: error.reason) }
    }
}
