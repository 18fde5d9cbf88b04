import ModelKit
import QuantCore

extension LayerMethod {
    /// Every setting of the method as flat strings (`method`, `bits`, `group_size`, `sym`, …), the form a
    /// safetensors `__metadata__` map takes. Names follow the command-line flags.
    public var settings: [String: String] {
        if case let .aqlm(o) = self { return Self.aqlmSettings(o).merging(["method": name]) { $1 } }
        guard let g = grid else { return ["method": name] }
        var s = ["method": name, "bits": "\(g.bits)", "group_size": "\(g.groupSize)", "sym": "\(g.symmetric)"]
        if g.mseSearch { s["mse"] = "true" }
        switch self {
        case .rtn:
            break
        case let .gptq(o):
            s.merge(Self.gptqSettings(o, prefix: "")) { $1 }
        case let .quantease(o):
            s["sweeps"] = "\(o.sweeps)"
            s["schedule"] = Self.scheduleName(o.schedule)
            s["act_order"] = "\(o.actOrder)"
            switch o.implementation {
            case .reference: s["implementation"] = "reference"
            case let .blocked(b): s["block_size"] = "\(b)"
            }
            switch o.initialization {
            case .weights: s["init"] = "w"
            case let .gptq(start):
                s["init"] = "gptq"
                s.merge(Self.gptqSettings(start, prefix: "init_")) { $1 }
            }
        case let .outlierQuantEase(o):
            s["sweeps"] = "\(o.sweeps)"
            s["schedule"] = Self.scheduleName(o.schedule)
            s["block_size"] = "\(o.blockSize)"
            s["outlier_fraction"] = "\(o.fraction)"
            s["outlier_structure"] = o.structure.rawValue
            s["alpha"] = "\(o.alpha)"
        case .aqlm:
            break
        }
        return s
    }

    /// AQLM's settings under the reference's names (`num_codebooks`, `nbits_per_codebook`, `in_group_size`, …).
    private static func aqlmSettings(_ o: AQLMOptions) -> [String: String] {
        var s = ["num_codebooks": "\(o.codebooks)", "nbits_per_codebook": "\(o.bits)", "in_group_size": "\(o.groupSize)",
                 "beam_size": "\(o.beamSize)", "max_epochs": "\(o.maxEpochs)", "steps_per_epoch": "\(o.stepsPerEpoch)",
                 "lr": "\(o.learningRate)", "codebook_update": o.codebookUpdate.rawValue,
                 "init_max_iter": "\(o.initMaxIterations)", "reseed_dead_codes": "\(o.reseedDeadCodes)", "seed": "\(o.seed)"]
        if let t = o.relativeTolerance { s["relative_tolerance"] = "\(t)" }
        return s
    }

    private static func gptqSettings(_ o: GPTQOptions, prefix: String) -> [String: String] {
        [prefix + "act_order": "\(o.actOrder)", prefix + "static_groups": "\(o.staticGroups)",
         prefix + "block_size": "\(o.blockSize)", prefix + "damping": "\(o.dampingFraction)",
         prefix + "fresh_group_grids": "\(o.freshGroupGrids)"]
    }

    /// `relaxed` or `always-round`, as the command line spells them.
    private static func scheduleName(_ s: SweepSchedule) -> String {
        switch s {
        case .relaxed: return "relaxed"
        case .alwaysRound: return "always-round"
        }
    }
}
