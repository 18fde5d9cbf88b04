extension LayerMethod {
    /// A one-line label, e.g. `QuantEase 3-bit g128, 30 sweeps from GPTQ` or `AQLM 2x8g8`: the method's
    /// usual short title, then every other setting that differs from its default (`damping 0.05`,
    /// `schedule always-round`), so two unequal methods never share a label.
    public var summary: String {
        let titled = Self.titleKeys[methodName] ?? []
        let extras = MethodSchema.orderedValues(of: self)
            .filter { !titled.contains($0.setting.key) && $0.value != $0.setting.defaultValue }
            .map { $0.setting.labelPart($0.value) }
        return ([title] + extras).joined(separator: ", ")
    }

    /// The method and its grid or codebooks only, where room is short: `QuantEase 3-bit g128`, `AQLM 2x8g8`.
    public var headline: String { String(title.split(separator: ",").first ?? Substring(title)) }

    /// The settings the title names whatever their value.
    static let titleKeys: [MethodName: Set<String>] = [
        .rtn: ["bits", "group_size", "sym"],
        .gptq: ["bits", "group_size", "sym", "act_order"],
        .quantease: ["bits", "group_size", "sym", "sweeps", "init", "act_order"],
        .quanteaseOutlier: ["bits", "sym", "outlier_fraction", "outlier_structure", "sweeps"],
        .aqlm: ["num_codebooks", "nbits_per_codebook", "in_group_size", "beam_size", "codebook_update"],
    ]

    /// `1 sweep`, `30 sweeps`.
    private static func sweeps(_ n: Int) -> String { n == 1 ? "1 sweep" : "\(n) sweeps" }

    private var title: String {
        if case let .aqlm(o) = self {
            return "AQLM \(o.scheme)" + (o.beamSize == 1 ? "" : ", beam \(o.beamSize)")
                + (o.codebookUpdate == .adam ? "" : ", \(o.codebookUpdate.rawValue) codebooks")
        }
        guard let g = grid else { return name }
        let s = "\(g.bits)-bit" + (g.groupSize == -1 ? "" : " g\(g.groupSize)") + (g.symmetric ? " sym" : "")
        switch self {
        case .rtn: return "RTN " + s
        case let .gptq(o): return "GPTQ " + s + (o.actOrder ? ", act-order" : "")
        case let .quantease(o):
            let start: String
            if case .gptq = o.initialization { start = "GPTQ" } else { start = "W" }
            return "QuantEase " + s + ", \(Self.sweeps(o.sweeps)) from \(start)" + (o.actOrder ? ", act-order" : "")
        case let .outlierQuantEase(o):
            return "QuantEase+outliers " + s + ", \(o.fraction * 100)% \(o.structure.rawValue), \(Self.sweeps(o.sweeps))"
        case .aqlm: return s
        }
    }
}
