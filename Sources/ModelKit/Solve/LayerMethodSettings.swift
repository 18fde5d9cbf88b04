import QuantCore

extension LayerMethod {
    /// Every setting of the method as flat strings (`method`, `bits`, `group_size`, `sym`, …), the form a
    /// safetensors `__metadata__` map takes. Names follow the command-line flags.
    public var settings: [String: String] {
        let g = grid
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
        }
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
