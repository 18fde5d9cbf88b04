import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// The bit allocator on the tiny models: it measures every candidate on every layer, keeps the budget, spends
/// more bits where the sensitivity is higher, and re-chooses for another budget from the same measurements.
struct AllocationTests {
    static let candidates = [2, 3, 4, 8].map { LayerMethod.rtn(try! GridOptions(bits: $0)) }

    static func plan(_ name: String, budget: Double) throws -> (TransformerModel, AllocationPlan) {
        let model = try EngineFixtures.tiny(name)
        var rng = SeededGenerator(seed: 9)
        let windows = (0..<6).map { _ in (0..<10).map { _ in Int(rng.next() % 64) } }
        let settings = AllocationSettings(budget: budget, candidates: candidates, sensitivityWindows: 3)
        let plan = try AllocationPlanner(model: model, windows: windows, layers: model.linearLayers, settings: settings).plan()
        return (model, plan)
    }

    @Test(arguments: ["tiny-llama", "tiny-bert"])
    func thePlanKeepsTheBudgetAndLeavesTheModelAsItWas(_ name: String) throws {
        let (model, plan) = try Self.plan(name, budget: 3.5)
        #expect(plan.layers.count == model.linearLayers.count)
        #expect(plan.bitsPerWeight <= 3.5 && plan.bitsPerWeight > plan.uniformBits(0))
        for layer in plan.layers {
            #expect(layer.points.count == Self.candidates.count)
            // More bits, less error, on every layer's curve.
            #expect(zip(layer.points, layer.points.dropFirst()).allSatisfy { $0.relativeError > $1.relativeError && $0.bitsPerWeight < $1.bitsPerWeight })
            #expect(layer.sensitivity >= 0 && layer.sensitivity.isFinite)
        }
        #expect(Set(plan.layers.map(\.choice)).count > 1, "a budget between two uniform settings mixes them")
        let tokens = [1, 2, 3, 4]
        #expect(try model.forward(tokens) == EngineFixtures.tiny(name).forward(tokens), "measuring restores every weight")
        // Its predicted damage is no worse than the uniform 3-bit plan that fits the same budget.
        let uniform = plan.layers.reduce(0) { $0 + $1.damage(1) }
        #expect(plan.predictedDamage <= uniform * (1 + 1e-9))
    }

    @Test func anotherBudgetReusesTheMeasurements() throws {
        var (_, plan) = try Self.plan("tiny-opt", budget: 2.5)
        let low = plan.predictedDamage
        try plan.choose(budget: 6)
        #expect(plan.budget == 6 && plan.bitsPerWeight <= 6 && plan.predictedDamage < low)
        #expect(throws: BitAllocation.Infeasible.self) { try plan.choose(budget: 1.5) }
    }

    @Test func recipesTakeAnAllocateSection() throws {
        let r = try RecipeParser.parse("name: t\nmethod: {name: gptq, bits: 3, act_order: true}\n"
                                       + "allocate: {budget: 3.25, candidates: [{bits: 2}, {bits: 4, group_size: 128}, {name: rtn, bits: 8}]}\n")
        let a = try #require(r.allocation)
        #expect(a.budget == 3.25 && a.sensitivityWindows == 8 && a.candidates.count == 3)
        #expect(a.candidates[0].grid?.bits == 2 && a.candidates[1].grid?.groupSize == 128 && a.candidates[2].name == "rtn")
        if case let .gptq(o) = a.candidates[1] { #expect(o.actOrder, "the recipe's method settings carry over") } else { Issue.record("not gptq") }
        var again = try RecipeParser.parse(r.yaml())
        again.text = r.text
        #expect(again == r)
        let defaults = try RecipeParser.parse("name: t\nmethod: {name: gptq, bits: 3}\nallocate: {budget: 3}\n").allocation!.candidates
        #expect(defaults.count == 8 && Set(defaults.compactMap(\.grid?.bits)) == [2, 3, 4, 8])
        #expect(throws: RecipeError.self) { try RecipeParser.parse("name: t\nmethod: {name: rtn}\nallocate: {candidates: [{bits: 2}]}\n") }
        #expect(throws: RecipeError.self) { try RecipeParser.parse("name: t\nmethod: {name: rtn}\nallocate: {budget: 0.5}\n") }
    }
}
