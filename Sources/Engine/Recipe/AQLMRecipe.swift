import QuantCore

extension RecipeParser {
    /// AQLM's method keys, named as the reference's arguments.
    static let aqlmKeys: Set<String> = ["num_codebooks", "nbits_per_codebook", "in_group_size", "beam_size", "max_epochs",
                                        "steps_per_epoch", "relative_tolerance", "lr", "codebook_update", "init_max_iter",
                                        "reseed_dead_codes", "seed"]

    /// Builds AQLM from a `method:` mapping (`name: aqlm`); grid keys such as `bits` are rejected, since
    /// AQLM's width comes from `num_codebooks`, `nbits_per_codebook` and `in_group_size`.
    ///
    /// ```yaml
    /// method: {name: aqlm, num_codebooks: 2, nbits_per_codebook: 8, in_group_size: 8, max_epochs: 20}
    /// ```
    static func aqlmMethod(_ m: Fields) throws -> LayerMethod {
        if let stray = m.keys.first(where: { $0 != "name" && !aqlmKeys.contains($0) }) {
            throw RecipeError(line: m.line(stray), "\(m.section): '\(stray)' is not an AQLM setting (AQLM takes \(aqlmKeys.sorted().joined(separator: ", ")))")
        }
        let updateText = try m.string("codebook_update") ?? CodebookUpdate.adam.rawValue
        guard let update = CodebookUpdate(rawValue: updateText) else {
            throw RecipeError(line: m.line("codebook_update"), "\(m.section).codebook_update '\(updateText)' is not adam or least-squares")
        }
        let tolerance: Double?
        switch try m.string("relative_tolerance") {
        case nil: tolerance = 0.01
        case "none"?, "null"?, "~"?: tolerance = nil
        default: tolerance = try m.double("relative_tolerance")
        }
        let seed = try m.int("seed", in: 0...Int.max) ?? 0
        do {
            return .aqlm(try AQLMOptions(
                codebooks: try m.int("num_codebooks", in: 1...16) ?? 2, bits: try m.int("nbits_per_codebook", in: 1...16) ?? 8,
                groupSize: try m.int("in_group_size", in: 1...256) ?? 8, beamSize: try m.int("beam_size", in: 1...1024) ?? 1,
                maxEpochs: try m.int("max_epochs", in: 1...1_000_000) ?? 1000,
                stepsPerEpoch: try m.int("steps_per_epoch", in: 0...1_000_000) ?? 100, relativeTolerance: tolerance,
                learningRate: try m.double("lr") ?? 1e-4, codebookUpdate: update,
                initMaxIterations: try m.int("init_max_iter", in: 1...1_000_000) ?? 100,
                reseedDeadCodes: try m.bool("reseed_dead_codes") ?? false, seed: UInt64(seed)))
        } catch let QuantError.invalidOption(name, value, expected) {
            throw RecipeError(line: m.line(name), "\(m.section).\(name) = \(value) is invalid: expected \(expected)")
        }
    }
}

extension AQLMOptions {
    /// Every setting as recipe `key: value` pairs, in the order `RecipeParser` documents them.
    var recipeFields: [String] {
        ["num_codebooks: \(codebooks)", "nbits_per_codebook: \(bits)", "in_group_size: \(groupSize)", "beam_size: \(beamSize)",
         "max_epochs: \(maxEpochs)", "steps_per_epoch: \(stepsPerEpoch)",
         "relative_tolerance: \(relativeTolerance.map { "\($0)" } ?? "none")", "lr: \(learningRate)",
         "codebook_update: \(codebookUpdate.rawValue)", "init_max_iter: \(initMaxIterations)",
         "reseed_dead_codes: \(reseedDeadCodes)", "seed: \(seed)"]
    }
}
