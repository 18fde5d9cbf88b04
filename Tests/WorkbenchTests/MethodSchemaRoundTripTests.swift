import Engine
import Foundation
import QuantCore
import Testing
@testable import Workbench

/// Every setting of every method, set in turn to each value other than its default, comes back equal
/// through every front end: recipe → method → recipe, flags, the method panel, layer-file metadata, JSON.
@Suite struct MethodSchemaRoundTripTests {
    /// (method, values) with one setting away from its default, plus whatever that setting needs to apply.
    static var cases: [(name: MethodName, key: String, values: [String: SettingValue])] {
        var out: [(name: MethodName, key: String, values: [String: SettingValue])] = []
        for name in MethodName.allCases {
            for setting in MethodSchema.settings {
                guard let conditions = setting.applicability.methods[name] else { continue }
                var base: [String: SettingValue] = [:]
                if let c = conditions.first(where: { MethodSchema.defaults[$0.key] != $0.value }) ?? conditions.first { base[c.key] = c.value }
                for value in otherValues(of: setting) {
                    var values = base
                    values[setting.key] = value
                    out.append((name, setting.key, values))
                }
            }
        }
        return out
    }

    /// The setting's values other than its default: the step list, the next whole numbers, the other choices.
    static func otherValues(of s: MethodSetting) -> [SettingValue] {
        var values: [SettingValue]
        switch s.steps {
        case let .list(list): values = list
        case .by: values = [s.step(s.defaultValue, by: 1), s.step(s.defaultValue, by: -1)]
        case .cycle:
            if case let .choice(names) = s.type { values = names.map(SettingValue.choice) } else { values = [.bool(true), .bool(false)] }
        }
        return values.filter { $0 != s.defaultValue }
    }

    @Test func everySettingOfEveryMethodRoundTripsThroughEveryFrontEnd() throws {
        let cases = Self.cases
        #expect(cases.count > 100)
        for (name, key, values) in cases {
            let what = "\(name.rawValue) \(values)"
            let method = try MethodSchema.method(name, values: values)
            let described = MethodSchema.values(of: method)
            for (k, v) in values { #expect(described[k] == v, "\(what): \(k) described as \(String(describing: described[k]))") }

            // recipe → method → recipe
            let recipe = try RecipeParser.parse("method: \(Recipe.yaml(method))\n")
            #expect(recipe.method == method, "recipe: \(what)")
            #expect(Recipe.yaml(recipe.method) == Recipe.yaml(method))
            let given = try RecipeParser.parse("method: {name: \(name.rawValue), "
                                               + values.map { "\($0.key): \($0.value.text)" }.sorted().joined(separator: ", ") + "}\n")
            #expect(given.method == method, "recipe keys: \(what)")

            // flags → method, both as `--flag value` and as the flags the method writes
            var flags: [String] = []
            for (k, v) in values.sorted(by: { $0.key < $1.key }) {
                let flag = try #require(MethodSchema.setting(k)).flag
                flags += v == .bool(true) ? [flag] : [flag, v.text]
            }
            #expect(try MethodFlags.method(name, arguments: flags) == method, "flags \(flags)")
            #expect(try MethodFlags.method(name, arguments: MethodFlags.arguments(for: method)) == method, "flags: \(what)")

            // panel → method: the draft of the method, and a draft edited to the values
            #expect(try MethodDraft(method).build() == method, "panel: \(what)")
            var draft = MethodDraft()
            draft.kind = name
            for (k, v) in values { draft[k] = v }
            #expect(try draft.build() == method, "panel edit: \(what)")

            // layer-file metadata → method, and JSON
            #expect(try LayerMethod(settings: method.settings) == method, "metadata: \(what)")
            #expect(try JSONDecoder().decode(LayerMethod.self, from: JSONEncoder().encode(method)) == method, "json: \(what)")

            // a label that tells it from the method at defaults
            let plain = try MethodSchema.method(name, values: values.filter { $0.key != key })
            #expect(plain != method, "equality: \(what)")
            if plain != method { #expect(plain.summary != method.summary, "label: \(what) → \(method.summary)") }
        }
    }

    @Test func labelsOfAllWalkedMethodsAreDistinct() throws {
        var seen: [String: LayerMethod] = [:]
        for (name, _, values) in Self.cases {
            let m = try MethodSchema.method(name, values: values)
            if let other = seen[m.summary] { #expect(other == m, "two methods labelled \(m.summary)") }
            seen[m.summary] = m
        }
    }

    /// Switching the panel from quantease (always-round, from a recipe) to quantease-outlier keeps the
    /// schedule; the result must not carry the label of the recipe's quantease-outlier, which is relaxed.
    @Test func aMethodSwitchedInThePanelIsNotLabelledLikeADifferentRecipeMethod() throws {
        let quantease = try RecipeParser.parse("method: {name: quantease, bits: 3, init: gptq, sweeps: 30, schedule: always-round}\n").method
        var draft = MethodDraft(quantease)
        MethodField.kind.adjust(&draft, by: 1)
        #expect(draft.kind == .quanteaseOutlier)
        let panel = try draft.build()
        let recipe = try RecipeParser.parse("method: {name: quantease-outlier, bits: 3, outlier_fraction: 0.01, sweeps: 30}\n").method
        #expect(panel != recipe)
        #expect(panel.summary != recipe.summary)
        #expect(recipe.summary == "QuantEase+outliers 3-bit, 1.0% unstructured, 30 sweeps")
    }

    /// One default per setting: the command line, a recipe and the panel agree on what is not given.
    @Test func flagsRecipesAndThePanelShareEveryDefault() throws {
        for (flags, yaml, kind) in [(["--init", "gptq"], "{name: quantease, init: gptq}", MethodName.quantease),
                                    ([], "{name: quantease-outlier}", .quanteaseOutlier), ([], "{name: aqlm}", .aqlm),
                                    ([], "{name: gptq}", .gptq), ([], "{name: rtn}", .rtn)] {
            let fromFlags = try MethodFlags.method(kind, arguments: flags)
            let fromRecipe = try RecipeParser.parse("method: \(yaml)\n").method
            var draft = MethodDraft()
            draft.kind = kind
            if !flags.isEmpty { draft["init"] = .choice("gptq") }
            let fromPanel = try draft.build()
            #expect(fromFlags == fromRecipe && fromPanel == fromRecipe, "\(yaml)")
        }
        guard case let .quantease(o) = try MethodFlags.method(.quantease, arguments: ["--init", "gptq"]) else { return }
        #expect(o.schedule == .relaxed)
    }

    /// The recipe picker loads every setting of the shipped recipes (AQLM's `init_max_iter: 50` stayed 100).
    @Test func theRecipePickerKeepsEverySettingOfTheShippedRecipes() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Experiments").standardized
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "yaml" }
        #expect(files.contains { $0.lastPathComponent.contains("aqlm") })
        for f in files {
            let r = try RecipeParser.parse(contentsOf: f)
            for m in [r.method] + r.compare { #expect(try MethodDraft(m).build() == m, "\(f.lastPathComponent): \(m.summary)") }
        }
    }
}
