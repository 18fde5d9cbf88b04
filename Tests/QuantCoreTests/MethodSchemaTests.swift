import Foundation
import QuantCore
import Testing

@Suite struct MethodSchemaTests {
    @Test func keysAndFlagsAreUniqueAndEveryDefaultFitsItsType() throws {
        let settings = MethodSchema.settings
        #expect(Set(settings.map(\.key)).count == settings.count)
        #expect(Set(settings.map(\.flag)).count == settings.count)
        for s in settings {
            #expect(try s.type.checked(s.defaultValue) == s.defaultValue, "\(s.key)")
            #expect(!s.applicability.methodNames.isEmpty, "\(s.key)")
        }
        for name in MethodName.allCases {
            #expect(try MethodSchema.method(name, values: [:]).methodName == name)
        }
    }

    @Test func theDefaultMethodsAreTheSolverDefaults() throws {
        let g = try GridOptions(bits: 3)
        #expect(try MethodSchema.method(.quantease, values: [:]) == .quantease(try QuantEaseOptions(grid: g)))
        #expect(try MethodSchema.method(.gptq, values: [:]) == .gptq(try GPTQOptions(grid: g)))
        #expect(try MethodSchema.method(.quanteaseOutlier, values: [:]) == .outlierQuantEase(try OutlierQuantEaseOptions(grid: g)))
        #expect(try MethodSchema.method(.aqlm, values: [:]) == .aqlm(try AQLMOptions()))
    }

    @Test func unchangedMethodsKeepTheirShortLabels() throws {
        let m = try MethodSchema.method(.quantease, values: ["group_size": .int(128), "init": .choice("gptq")])
        #expect(m.summary == "QuantEase 3-bit g128, 30 sweeps from GPTQ")
        #expect(try MethodSchema.method(.aqlm, values: [:]).summary == "AQLM 2x8g8")
        #expect(try MethodSchema.method(.quanteaseOutlier, values: [:]).summary == "QuantEase+outliers 3-bit, 1.0% unstructured, 30 sweeps")
    }

    /// A re-solve that changes only damping, block size, MSE search or static groups is a different method
    /// with a different label (results used to be compared by label).
    @Test(arguments: [("damping", SettingValue.double(0.05)), ("block_size", .int(64)), ("mse", .bool(true)),
                      ("static_groups", .bool(true)), ("fresh_group_grids", .bool(true))])
    func gptqSettingsOutsideTheTitleStillChangeEqualityAndLabel(_ key: String, _ value: SettingValue) throws {
        let base = try MethodSchema.method(.gptq, values: ["bits": .int(4)])
        let changed = try MethodSchema.method(.gptq, values: ["bits": .int(4), key: value])
        #expect(base != changed)
        #expect(base.summary != changed.summary, "\(changed.summary)")
    }

    @Test func settingsThatDoNotApplyAreRejectedNamingTheCondition() {
        #expect(throws: MethodSchemaError(key: "sweeps", .notApplicable(method: .rtn, conditions: []))) {
            try MethodSchema.method(.rtn, values: ["sweeps": .int(3)])
        }
        #expect(throws: MethodFlagError.self) { try MethodFlags.method(.rtn, arguments: ["--sweeps", "3"]) }
        do {
            _ = try MethodFlags.method(.quantease, arguments: ["--damping", "0.1"])
            Issue.record("accepted --damping without --init gptq")
        } catch {
            #expect(error.description == "--damping does not apply to --method quantease without --init gptq")
        }
        do {
            _ = try MethodFlags.method(.rtn, arguments: ["--sweeps", "3"])
        } catch {
            #expect(error.description == "--sweeps does not apply to --method rtn")
        }
        #expect(throws: (any Error).self) { try MethodSchema.method(.gptq, values: ["bits": .int(9)]) }
        #expect(throws: (any Error).self) { try MethodSchema.method(.gptq, values: ["bits": .choice("x")]) }
        #expect(throws: (any Error).self) { try MethodSchema.method(.gptq, values: ["nope": .int(1)]) }
    }

    @Test func flagsTakeEveryFormAndRejectTyposAndBadValues() throws {
        let m = try MethodFlags.method(.gptq, arguments: ["--bits", "4", "--group-size=-1", "--sym", "--act-order=false", "--damping", "0.1"])
        #expect(m == .gptq(try GPTQOptions(grid: try GridOptions(bits: 4, symmetric: true), dampingFraction: 0.1)))
        #expect(try MethodFlags.method(.quantease, arguments: ["--group-size", "-1"]) == MethodSchema.method(.quantease, values: [:]))
        #expect(throws: MethodFlagError.unknown("--sweps")) { try MethodFlags.method(.quantease, arguments: ["--sweps", "3"]) }
        #expect(throws: MethodFlagError.missingValue("--bits")) { try MethodFlags.method(.rtn, arguments: ["--bits"]) }
        #expect(throws: MethodFlagError.badValue("--bits", .wrongType(text: "x", expected: "a whole number"))) {
            try MethodFlags.method(.rtn, arguments: ["--bits", "x"])
        }
        #expect(throws: MethodFlagError.badValue("--relative-tolerance", .wrongType(text: "lots", expected: "a number or none"))) {
            try MethodFlags.method(.aqlm, arguments: ["--relative-tolerance", "lots"])
        }
    }

    @Test func helpNamesEveryFlagItsDefaultAndItsMethods() {
        let help = MethodFlags.help
        for s in MethodSchema.settings { #expect(help.contains(s.flag), "\(s.flag)") }
        #expect(help.contains("--damping <number>") && help.contains("gptq, quantease with --init gptq"))
        #expect(help.contains("--schedule <relaxed|always-round>") && help.contains("default relaxed"))
    }

    @Test func codableFormIsFlatWithTheRecipeKeys() throws {
        let m = try MethodSchema.method(.aqlm, values: ["relative_tolerance": .none, "seed": .int(4)])
        let data = try JSONEncoder().encode(m)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["method"] as? String == "aqlm" && object["seed"] as? Int == 4 && object["relative_tolerance"] is NSNull)
        #expect(try JSONDecoder().decode(LayerMethod.self, from: data) == m)
        let short = try JSONDecoder().decode(LayerMethod.self, from: Data(#"{"method": "quantease", "bits": 4, "init": "gptq"}"#.utf8))
        #expect(short == (try MethodSchema.method(.quantease, values: ["bits": .int(4), "init": .choice("gptq")])))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LayerMethod.self, from: Data(#"{"method": "rtn", "sweeps": 3}"#.utf8))
        }
    }

    @Test func stepsWalkTheListAndStayInRange() throws {
        let sweeps = try #require(MethodSchema.setting("sweeps"))
        #expect(sweeps.step(.int(30), by: 1) == .int(35) && sweeps.step(.int(30), by: -1) == .int(25))
        #expect(sweeps.step(.int(1), by: -1) == .int(1) && sweeps.step(.int(37), by: 1) == .int(40))
        let bits = try #require(MethodSchema.setting("bits"))
        #expect(bits.step(.int(8), by: 1) == .int(8) && bits.step(.int(2), by: -1) == .int(2))
        let schedule = try #require(MethodSchema.setting("schedule"))
        #expect(schedule.step(.choice("relaxed"), by: 1) == .choice("always-round"))
        let tolerance = try #require(MethodSchema.setting("relative_tolerance"))
        #expect(tolerance.step(.double(0.001), by: -1) == SettingValue.none)
        #expect(try #require(MethodSchema.setting("group_size")).cycled(.int(256)) == .int(-1))
    }
}

@Suite struct MethodFlagWrappingTests {
    @Test func methodFlagsAreHandedToOneOptionWithTheirValuesAttached() {
        let wrapped = MethodFlags.wrapping(["solve", "--method", "gptq", "--bits", "3", "W.st", "--group-size", "-1", "--sym",
                                            "--damping=0.1", "--out", "o", "--lr", "--", "--bits", "4"], in: "--m")
        #expect(wrapped == ["solve", "--method", "gptq", "--m", "--bits=3", "W.st", "--m", "--group-size=-1", "--m", "--sym",
                            "--m", "--damping=0.1", "--out", "o", "--m", "--lr", "--", "--bits", "4"])
        #expect(throws: MethodFlagError.missingValue("--lr")) { try MethodFlags.values(["--lr"]) }
    }
}
