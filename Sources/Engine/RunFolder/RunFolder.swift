import Foundation
import ModelKit
import QuantCore

/// A run's folder: the recipe as given (`recipe.yaml`), every solved layer as safetensors
/// (`layers/<layer>.safetensors`: codes, grids, `g_idx`, outliers, the dequantized weight, and the layer's
/// summary and sweep series as JSON metadata), and the reports the Reports module writes beside them.
/// Every file is written to a temporary name and renamed, so an interrupted run never leaves half a file.
public struct RunFolder: Sendable {
    public let url: URL
    public static let recipeFile = "recipe.yaml"
    public static let layersFolder = "layers"

    /// A new folder for `recipe`: its `output`, or `<base>/<name>-<yyyyMMdd-HHmmss>`.
    public static func create(for recipe: Recipe, base: URL, now: Date = Date()) throws -> RunFolder {
        let url: URL
        if let output = recipe.output {
            url = URL(fileURLWithPath: output, relativeTo: base).standardizedFileURL
        } else {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyyMMdd-HHmmss"
            url = base.appendingPathComponent("runs").appendingPathComponent("\(recipe.name)-\(f.string(from: now))")
        }
        let folder = RunFolder(url: url)
        try FileManager.default.createDirectory(at: url.appendingPathComponent(layersFolder), withIntermediateDirectories: true)
        try folder.writeAtomically(Data(recipe.text.utf8), to: recipeFile)
        return folder
    }

    /// An existing run folder (to resume or re-export).
    public init(existing url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(Self.recipeFile).path) else {
            throw RecipeError(file: url.path, line: nil, "not a run folder: no \(Self.recipeFile)")
        }
        self.url = url
    }

    private init(url: URL) { self.url = url }

    /// The recipe the run was started with.
    public func recipe() throws -> Recipe { try RecipeParser.parse(contentsOf: url.appendingPathComponent(Self.recipeFile)) }

    /// Saves a solved layer (replacing an earlier result of the same layer).
    public func save(_ outcome: LayerOutcome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var writer = SafetensorsWriter(metadata: [
            "summary": String(decoding: try encoder.encode(outcome.summary), as: UTF8.self),
            "sweeps": String(decoding: try encoder.encode(outcome.result.history), as: UTF8.self),
            "method": outcome.method,
            "bits": "\(outcome.result.layer.bits)",
        ])
        try QuantizedLayerTensors.add(outcome.result.layer, to: &writer)
        try writer.write(to: layerURL(outcome.layer.name))
    }

    /// Every layer saved so far, by name.
    public func finishedLayers() throws -> [String: FinishedLayer] {
        let dir = url.appendingPathComponent(Self.layersFolder)
        guard let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { return [:] }
        var out: [String: FinishedLayer] = [:]
        let decoder = JSONDecoder()
        for file in files where file.pathExtension == "safetensors" {
            let st = try SafetensorsFile(url: file)
            guard let summaryText = st.metadata["summary"] else { continue }
            let summary = try decoder.decode(LayerSummary.self, from: Data(summaryText.utf8))
            let sweeps = try st.metadata["sweeps"].map { try decoder.decode([SolverProgress].self, from: Data($0.utf8)) } ?? []
            out[summary.name] = FinishedLayer(layer: try QuantizedLayerTensors.read(st), summary: summary, sweeps: sweeps)
        }
        return out
    }

    func layerURL(_ name: String) -> URL {
        let safe = name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "_" }
        return url.appendingPathComponent(Self.layersFolder).appendingPathComponent(String(safe) + ".safetensors")
    }

    private func writeAtomically(_ data: Data, to name: String) throws {
        try data.write(to: url.appendingPathComponent(name), options: .atomic)
    }
}
