import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// A run folder is what it says: the recipe that made it, the checkpoint its layers came from, one
/// writer at a time, and every finished comparison.
@Suite struct RunFolderIntegrityTests {
    static let recipe4 = "name: t\nmethod: {name: quantease, bits: 4, sweeps: 3}\ncompare: [rtn]\n"
    static let recipe3 = "name: t\nmethod: {name: quantease, bits: 3, sweeps: 3}\ncompare: [rtn]\n"

    func solved(_ recipe: Recipe, layer: String = "0.mlp", cancelled: Bool = false) throws -> LayerOutcome {
        try SyntheticWork(method: recipe.method).solve(layer: layer, method: recipe.method,
                                                      control: SolverControl(isCancelled: { cancelled }))
    }

    @Test func anEditedRecipeIsRefusedUnlessTheRunStartsOver() throws {
        let scratch = try ScratchFolder()
        let url = scratch.file("run")
        let four = try RecipeParser.parse(Self.recipe4)
        let folder = try RunFolder.prepare(for: four, at: url, restart: false)
        try folder.save(FinishedLayer(try solved(four)), method: four.method)

        // The same recipe (even written differently) resumes the folder and keeps its layers.
        let same = try RecipeParser.parse("# again\n" + Self.recipe4)
        #expect(try RunFolder.prepare(for: same, at: url, restart: false).finishedLayers().count == 1)

        let three = try RecipeParser.parse(Self.recipe3)
        #expect(throws: RunFolderError.recipeMismatch(path: url.path)) { try RunFolder.prepare(for: three, at: url, restart: false) }
        #expect(try RunFolder(existing: url).recipe().method == four.method)      // recipe.yaml untouched
        #expect(try RunFolder(existing: url).finishedLayers().count == 1)

        let restarted = try RunFolder.prepare(for: three, at: url, restart: true)
        #expect(try restarted.finishedLayers().isEmpty)
        #expect(try restarted.recipe().method == three.method)
        #expect(try restarted.layerMethods().isEmpty)
    }

    @Test func aHandEditedRecipeFileIsRefusedOnResume() throws {
        let scratch = try ScratchFolder()
        let url = scratch.file("run")
        _ = try RunFolder.prepare(for: try RecipeParser.parse(Self.recipe4), at: url, restart: false)
        #expect(try RunFolder(existing: url).verifiedRecipe().method.nominalBits == 4)
        try Self.recipe3.write(to: url.appendingPathComponent(RunFolder.recipeFile), atomically: true, encoding: .utf8)
        #expect(throws: RunFolderError.recipeMismatch(path: url.path)) { try RunFolder(existing: url).verifiedRecipe() }
    }

    @Test func layersOfAnotherCheckpointAreRefused() throws {
        let scratch = try ScratchFolder()
        let recipe = try RecipeParser.parse(Self.recipe4)
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let bert = EngineFixtures.modelsFolder.appendingPathComponent("tiny-bert")
        let gpt2 = EngineFixtures.modelsFolder.appendingPathComponent("tiny-gpt2")
        try folder.record(checkpoint: bert)
        try folder.record(checkpoint: gpt2)               // no layers yet: the checkpoint may still change
        try folder.record(checkpoint: bert)
        try folder.save(FinishedLayer(try solved(recipe)), method: recipe.method)
        try folder.record(checkpoint: bert)
        #expect(throws: RunFolderError.self) { try folder.record(checkpoint: gpt2) }
        #expect(try folder.provenance()?.checkpoint?.directory == bert.standardizedFileURL.path)
    }

    @Test func aSecondWriterIsRefusedNamingTheHolder() throws {
        let scratch = try ScratchFolder()
        let url = scratch.file("run")
        let first = try RunFolderLock(url)
        #expect(throws: RunFolderError.locked(path: url.path, pid: getpid())) { try RunFolderLock(url) }
        first.release()
        let second = try RunFolderLock(url)
        second.release()
    }

    @Test func aLockFileOfADeadProcessIsTakenOver() throws {
        let scratch = try ScratchFolder()
        let url = scratch.file("run")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try "999999\n".write(to: url.appendingPathComponent(RunFolderLock.fileName), atomically: true, encoding: .utf8)
        let lock = try RunFolderLock(url)
        #expect(try String(contentsOf: url.appendingPathComponent(RunFolderLock.fileName), encoding: .utf8) == "\(getpid())\n")
        lock.release()
    }

    @Test func comparisonsAndMethodsAreSavedAndReadBack() throws {
        let scratch = try ScratchFolder()
        let recipe = try RecipeParser.parse(Self.recipe4)
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let main = try solved(recipe)
        let rtn = try solved(try RecipeParser.parse("method: {name: rtn, bits: 4}\n"))
        try folder.save(FinishedLayer(main), method: recipe.method)
        try folder.saveComparison(rtn.summary)
        try folder.saveComparison(main.summary)
        let kept = try #require(try folder.finishedLayers()["0.mlp"])
        #expect(kept.comparisons == [rtn.summary, main.summary])
        #expect(!kept.partial)
        #expect(try folder.layerMethods() == ["0.mlp": recipe.method])
    }

    @Test func aPartialLayerIsMarkedCancelledInItsFile() throws {
        let scratch = try ScratchFolder()
        let recipe = try RecipeParser.parse(Self.recipe4)
        let folder = try RunFolder.prepare(for: recipe, at: scratch.file("run"), restart: false)
        let partial = try solved(recipe, cancelled: true)
        #expect(partial.result.cancelled)
        try folder.save(FinishedLayer(partial), method: recipe.method)
        #expect(try folder.finishedLayers()["0.mlp"]?.partial == true)
        #expect(try SafetensorsFile(url: folder.layerURL("0.mlp")).metadata["cancelled"] == "true")
    }
}
