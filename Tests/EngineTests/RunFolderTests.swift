import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

@Suite struct RunFolderTests {
    @Test func savesLayersAndReadsThemBackForResume() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qb-runfolder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let recipe = try RecipeParser.parse("name: t\nmethod: {name: quantease-outlier, bits: 3, sweeps: 3}\n")
        let folder = try RunFolder.prepare(for: recipe, at: RunFolder.location(for: recipe, base: base, now: Date(timeIntervalSince1970: 0)), restart: false)
        #expect(folder.url.lastPathComponent == "t-19700101-000000")
        #expect(try folder.recipe().method == recipe.method)

        let work = SyntheticWork(method: recipe.method)
        let outcome = try work.solve(layer: "1.mlp", method: recipe.method, control: .silent)
        try folder.save(FinishedLayer(outcome), method: recipe.method)
        let again = try RunFolder(existing: folder.url).finishedLayers()
        let kept = try #require(again["1.mlp"])
        #expect(kept.layer == outcome.result.layer)
        #expect(kept.layer.outliers.count == outcome.result.layer.outliers.count && kept.layer.outliers.count > 0)
        #expect(kept.summary == outcome.summary)
        #expect(kept.sweeps == outcome.result.history)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("layers").path)
        #expect(leftovers == ["1.mlp.safetensors"])
        #expect(throws: RecipeError.self) { try RunFolder(existing: base) }
    }
}
