extension MethodSchema {
    /// The method `name` with `values` (every setting not given at its default). Rejects unknown keys,
    /// values of the wrong type or out of range, settings that do not apply to the method, and what the
    /// solver's options reject, each naming the setting.
    public static func method(_ name: MethodName, values: [String: SettingValue]) throws(MethodSchemaError) -> LayerMethod {
        var given: [String: SettingValue] = [:]
        for (key, value) in values {
            guard let setting = setting(key) else { throw MethodSchemaError(key: key, .unknownSetting) }
            do { given[key] = try setting.type.checked(value) } catch { throw MethodSchemaError(key: key, .badValue(error)) }
        }
        let resolved = defaults.merging(given) { $1 }
        for key in given.keys.sorted() {
            guard let setting = setting(key), !setting.applies(to: name, values: resolved) else { continue }
            throw MethodSchemaError(key: key, .notApplicable(method: name, conditions: setting.applicability.methods[name] ?? []))
        }
        do {
            return try ResolvedValues(resolved).method(name)
        } catch let e as MethodSchemaError {
            throw e
        } catch let e as QuantError {
            throw Self.located(e)
        } catch {
            throw MethodSchemaError(key: nil, .unsupported("\(error)"))
        }
    }

    /// The method named `name` (`quantease-outlier`) with `values`.
    public static func method(named name: String, values: [String: SettingValue]) throws(MethodSchemaError) -> LayerMethod {
        guard let method = MethodName(rawValue: name) else { throw MethodSchemaError(key: nil, .unknownMethod(name)) }
        return try self.method(method, values: values)
    }

    /// Every setting that applies to `method`, with its value; `method(m.methodName, values: values(of: m)) == m`
    /// for every method the schema builds.
    public static func values(of method: LayerMethod) -> [String: SettingValue] {
        var v = defaults
        if let g = method.grid {
            v["bits"] = .int(g.bits); v["group_size"] = .int(g.groupSize); v["sym"] = .bool(g.symmetric); v["mse"] = .bool(g.mseSearch)
        }
        func gptq(_ o: GPTQOptions) {
            v["block_size"] = .int(o.blockSize); v["damping"] = .double(o.dampingFraction); v["act_order"] = .bool(o.actOrder)
            v["static_groups"] = .bool(o.staticGroups); v["fresh_group_grids"] = .bool(o.freshGroupGrids)
        }
        switch method {
        case .rtn: break
        case let .gptq(o): gptq(o)
        case let .quantease(o):
            if case let .gptq(start) = o.initialization { gptq(start); v["init"] = .choice("gptq") }
            switch o.implementation {
            case .reference: v["implementation"] = .choice("reference")
            case let .blocked(b): v["block_size"] = .int(b)
            }
            v["sweeps"] = .int(o.sweeps); v["schedule"] = .choice(o.schedule.name); v["act_order"] = .bool(o.actOrder)
        case let .outlierQuantEase(o):
            v["outlier_fraction"] = .double(o.fraction); v["outlier_structure"] = .choice(o.structure.rawValue)
            v["sweeps"] = .int(o.sweeps); v["alpha"] = .double(o.alpha); v["schedule"] = .choice(o.schedule.name)
            v["block_size"] = .int(o.blockSize)
        case let .aqlm(o):
            v["num_codebooks"] = .int(o.codebooks); v["nbits_per_codebook"] = .int(o.bits); v["in_group_size"] = .int(o.groupSize)
            v["beam_size"] = .int(o.beamSize); v["max_epochs"] = .int(o.maxEpochs); v["steps_per_epoch"] = .int(o.stepsPerEpoch)
            v["relative_tolerance"] = o.relativeTolerance.map(SettingValue.double) ?? SettingValue.none
            v["lr"] = .double(o.learningRate); v["codebook_update"] = .choice(o.codebookUpdate.rawValue)
            v["init_max_iter"] = .int(o.initMaxIterations); v["reseed_dead_codes"] = .bool(o.reseedDeadCodes)
            v["seed"] = .int(Int(clamping: o.seed))
        }
        let applicable = Set(MethodSchema.applicable(to: method.methodName, values: v).map(\.key))
        return v.filter { applicable.contains($0.key) }
    }

    /// The applicable settings of `method` as (setting, value) pairs in table order.
    public static func orderedValues(of method: LayerMethod) -> [(setting: MethodSetting, value: SettingValue)] {
        let v = values(of: method)
        return settings.compactMap { s in v[s.key].map { (s, $0) } }
    }

    /// A solver-option error, blamed on the setting it names.
    private static func located(_ e: QuantError) -> MethodSchemaError {
        switch e {
        case let .invalidOption(name, value, expected): return MethodSchemaError(key: setting(name) == nil ? nil : name, .invalid(value: value, expected: expected))
        case let .bitsOutOfRange(b): return MethodSchemaError(key: "bits", .invalid(value: "\(b)", expected: "2…8"))
        case let .invalidGroupSize(g): return MethodSchemaError(key: "group_size", .invalid(value: "\(g)", expected: "-1 or a positive group size"))
        case let .outlierFractionOutOfRange(f): return MethodSchemaError(key: "outlier_fraction", .invalid(value: "\(f)", expected: "in [0, 0.5]"))
        default: return MethodSchemaError(key: nil, .unsupported(e.description))
        }
    }
}

/// Values with every setting present and type-checked, read back as the solver option types.
private struct ResolvedValues {
    let values: [String: SettingValue]

    init(_ values: [String: SettingValue]) { self.values = values }

    func method(_ name: MethodName) throws -> LayerMethod {
        switch name {
        case .rtn: return .rtn(try grid(name))
        case .gptq: return .gptq(try gptq(try grid(name)))
        case .quantease:
            let g = try grid(name)
            let start: QuantEaseInit = try choice("init") == "gptq" ? .gptq(try gptq(g)) : .weights
            let code: SweepImplementation = try choice("implementation") == "reference" ? .reference : .blocked(blockSize: try int("block_size"))
            return .quantease(try QuantEaseOptions(grid: g, sweeps: try int("sweeps"), schedule: try schedule(), initialization: start,
                                                   actOrder: try bool("act_order"), implementation: code))
        case .quanteaseOutlier:
            guard let structure = OutlierStructure(rawValue: try choice("outlier_structure")) else { throw wrong("outlier_structure") }
            return .outlierQuantEase(try OutlierQuantEaseOptions(
                grid: try grid(name), fraction: try double("outlier_fraction"), structure: structure, sweeps: try int("sweeps"),
                alpha: try double("alpha"), schedule: try schedule(), blockSize: try int("block_size")))
        case .aqlm:
            guard let update = CodebookUpdate(rawValue: try choice("codebook_update")) else { throw wrong("codebook_update") }
            let tolerance: Double? = values["relative_tolerance"] == SettingValue.none ? nil : try double("relative_tolerance")
            return .aqlm(try AQLMOptions(
                codebooks: try int("num_codebooks"), bits: try int("nbits_per_codebook"), groupSize: try int("in_group_size"),
                beamSize: try int("beam_size"), maxEpochs: try int("max_epochs"), stepsPerEpoch: try int("steps_per_epoch"),
                relativeTolerance: tolerance, learningRate: try double("lr"), codebookUpdate: update,
                initMaxIterations: try int("init_max_iter"), reseedDeadCodes: try bool("reseed_dead_codes"),
                seed: UInt64(clamping: try int("seed"))))
        }
    }

    private func grid(_ name: MethodName) throws -> GridOptions {
        try GridOptions(bits: try int("bits"), symmetric: try bool("sym"),
                        groupSize: name == .quanteaseOutlier ? -1 : try int("group_size"), mseSearch: try bool("mse"))
    }

    private func gptq(_ grid: GridOptions) throws -> GPTQOptions {
        try GPTQOptions(grid: grid, blockSize: try int("block_size"), dampingFraction: try double("damping"),
                        actOrder: try bool("act_order"), staticGroups: try bool("static_groups"),
                        freshGroupGrids: try bool("fresh_group_grids"))
    }

    private func schedule() throws -> SweepSchedule {
        let name = try choice("schedule")
        guard let s = SweepSchedule.allCases.first(where: { $0.name == name }) else { throw wrong("schedule") }
        return s
    }

    private func int(_ key: String) throws -> Int {
        guard case let .int(i)? = values[key] else { throw wrong(key) }
        return i
    }

    private func double(_ key: String) throws -> Double {
        switch values[key] {
        case let .double(d)?: return d
        case let .int(i)?: return Double(i)
        default: throw wrong(key)
        }
    }

    private func bool(_ key: String) throws -> Bool {
        guard case let .bool(b)? = values[key] else { throw wrong(key) }
        return b
    }

    private func choice(_ key: String) throws -> String {
        guard case let .choice(c)? = values[key] else { throw wrong(key) }
        return c
    }

    private func wrong(_ key: String) -> MethodSchemaError {
        let expected = MethodSchema.setting(key)?.type.expected ?? "a value"
        return MethodSchemaError(key: key, .badValue(.wrongType(text: values[key]?.text ?? "nothing", expected: expected)))
    }
}
