/// The one table of every method's settings. Recipes, command-line flags, layer-file metadata, the
/// workbench's method panel, the method label and the bench all read it; `LayerMethod` is built from a
/// method name and values through it (`MethodSchema.method`) and described back into values by it
/// (`MethodSchema.values`).
///
/// ```swift
/// let m = try MethodSchema.method(.quantease, values: ["bits": .int(3), "init": .choice("gptq")])
/// MethodSchema.values(of: m)["sweeps"]   // .int(30), the default
/// ```
public enum MethodSchema {
    /// Every setting, in the order the panel lists them and recipes write them.
    public static let settings: [MethodSetting] = gridSettings + solverSettings + aqlmSettings

    private static let grid = SettingApplicability.always(.rtn, .gptq, .quantease, .quanteaseOutlier)
    private static let gptqStart = SettingApplicability.always(.gptq).and(.quantease, when: ("init", .choice("gptq")))

    static let gridSettings: [MethodSetting] = [
        MethodSetting("bits", label: "bits", help: "Bits per weight.", type: .int(2...8), default: .int(3), steps: .by(1),
                      appliesTo: grid),
        MethodSetting("group_size", label: "group size", help: "Columns per grid group; -1 fits one grid per row.",
                      type: .int(-1...1_000_000), default: .int(-1), steps: .list([-1, 32, 64, 128, 256].map(SettingValue.int)),
                      appliesTo: .always(.rtn, .gptq, .quantease), displayNames: [.int(-1): "row"]),
        MethodSetting("sym", label: "symmetric grid", help: "Symmetric grids (zero point fixed at the middle code).",
                      type: .bool, default: .bool(false), appliesTo: grid),
        MethodSetting("mse", label: "MSE grid search", help: "Shrink each grid's range to the best |error|^2.4 (GPTQ's MSE search).",
                      type: .bool, default: .bool(false), appliesTo: grid),
    ]

    static let solverSettings: [MethodSetting] = [
        MethodSetting("outlier_fraction", label: "outlier budget",
                      help: "Share of weights (or input columns) kept in full precision.", type: .double(0...0.5),
                      default: .double(0.01), steps: .list([0, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05].map(SettingValue.double)),
                      appliesTo: .always(.quanteaseOutlier), decimals: 2, percent: true),
        MethodSetting("outlier_structure", label: "outlier structure",
                      help: "unstructured (any weights) or columns (whole input columns).",
                      type: .choice(OutlierStructure.allCases.map(\.rawValue)), default: .choice(OutlierStructure.unstructured.rawValue),
                      appliesTo: .always(.quanteaseOutlier)),
        MethodSetting("sweeps", label: "sweeps", help: "Coordinate-descent sweeps.", type: .int(1...10_000), default: .int(30),
                      steps: .list((Array(1...9) + Array(stride(from: 10, through: 200, by: 5))).map(SettingValue.int)),
                      appliesTo: .always(.quantease, .quanteaseOutlier)),
        MethodSetting("schedule", label: "schedule",
                      help: "relaxed (the reference: some early sweeps stay unrounded) or always-round (every sweep rounds).",
                      type: .choice(SweepSchedule.allCases.map(\.name)), default: .choice(SweepSchedule.relaxed.name),
                      appliesTo: .always(.quantease, .quanteaseOutlier), displayNames: [.choice("always-round"): "always round"]),
        MethodSetting("init", label: "start from", help: "Start from W (w) or from a GPTQ solve (gptq).",
                      type: .choice(["w", "gptq"]), default: .choice("w"), appliesTo: .always(.quantease),
                      displayNames: [.choice("w"): "W", .choice("gptq"): "GPTQ"]),
        MethodSetting("implementation", label: "sweep code",
                      help: "blocked (lazy-batch GEMM, the fast path) or reference (the upstream code, for parity).",
                      type: .choice(["blocked", "reference"]), default: .choice("blocked"), appliesTo: .always(.quantease)),
        MethodSetting("alpha", label: "IHT step α",
                      help: "Hard-thresholding step α (η = α / 2λmax(Σ)); below 2, or the step is not a descent.",
                      type: .double(0.01...1.99), default: .double(1), steps: .list([0.25, 0.5, 1, 1.5, 1.9].map(SettingValue.double)),
                      appliesTo: .always(.quanteaseOutlier), decimals: 2),
        MethodSetting("act_order", label: "act-order", help: "Visit columns in descending diag(Σ) order.",
                      type: .bool, default: .bool(false), appliesTo: .always(.gptq, .quantease)),
        MethodSetting("block_size", label: "block size",
                      help: "Columns per lazy batch (GPTQ, the GPTQ start) or per blocked sweep.", type: .int(1...65536),
                      default: .int(128), steps: .list([32, 64, 128, 256].map(SettingValue.int)),
                      appliesTo: SettingApplicability.always(.gptq, .quanteaseOutlier)
                        .and(.quantease, when: ("implementation", .choice("blocked")), ("init", .choice("gptq")))),
        MethodSetting("damping", label: "damping", help: "Damping added to diag(Σ), as a fraction of its mean.",
                      type: .double(0...1), default: .double(0.01), steps: .list([0.001, 0.01, 0.05, 0.1].map(SettingValue.double)),
                      appliesTo: gptqStart, decimals: 3),
        MethodSetting("static_groups", label: "static groups", help: "Fit every group's grid up front on the un-permuted W.",
                      type: .bool, default: .bool(false), appliesTo: gptqStart),
        MethodSetting("fresh_group_grids", label: "fresh group grids",
                      help: "Fit dynamic group grids on the error-compensated columns (not the reference's stale copy).",
                      type: .bool, default: .bool(false), appliesTo: gptqStart),
    ]

    private static let aqlm = SettingApplicability.always(.aqlm)

    static let aqlmSettings: [MethodSetting] = [
        MethodSetting("num_codebooks", label: "codebooks (M)", help: "Codebooks summed per group, M.", type: .int(1...16),
                      default: .int(2), steps: .by(1), appliesTo: aqlm),
        MethodSetting("nbits_per_codebook", label: "bits per codebook (B)", help: "Bits per codebook, B: 2^B entries.",
                      type: .int(1...16), default: .int(8), steps: .by(1), appliesTo: aqlm),
        MethodSetting("in_group_size", label: "group size (g)", help: "Input channels per group, g.", type: .int(1...256),
                      default: .int(8), steps: .list([4, 8, 16, 32].map(SettingValue.int)), appliesTo: aqlm),
        MethodSetting("beam_size", label: "beam size", help: "Hypotheses per row in the code search.", type: .int(1...1024),
                      default: .int(1), steps: .list([1, 2, 4, 8, 16].map(SettingValue.int)), appliesTo: aqlm),
        MethodSetting("max_epochs", label: "max epochs", help: "Epochs of codebook update + code search at most.",
                      type: .int(1...1_000_000), default: .int(1000),
                      steps: .list([1, 2, 5, 10, 20, 50, 100, 1000].map(SettingValue.int)), appliesTo: aqlm),
        MethodSetting("steps_per_epoch", label: "Adam steps / epoch", help: "Adam steps per epoch.", type: .int(0...1_000_000),
                      default: .int(100), steps: .list([0, 10, 20, 50, 100, 200].map(SettingValue.int)), appliesTo: aqlm),
        MethodSetting("relative_tolerance", label: "relative tolerance",
                      help: "Stop when an epoch lowers the loss by less than this fraction; none runs every epoch.",
                      type: .optionalDouble(0...1), default: .double(0.01),
                      steps: .list([.none, .double(0.001), .double(0.005), .double(0.01), .double(0.02), .double(0.05)]),
                      appliesTo: aqlm),
        MethodSetting("lr", label: "learning rate", help: "Adam learning rate.", type: .double(1e-12...1), default: .double(1e-4),
                      steps: .list([1e-5, 3e-5, 1e-4, 3e-4, 1e-3].map(SettingValue.double)), appliesTo: aqlm),
        MethodSetting("codebook_update", label: "codebook update",
                      help: "adam, or least-squares (closed form for fixed codes; small codebooks only).",
                      type: .choice(CodebookUpdate.allCases.map(\.rawValue)), default: .choice(CodebookUpdate.adam.rawValue),
                      appliesTo: aqlm),
        MethodSetting("init_max_iter", label: "k-means iterations", help: "k-means iterations of the initialisation at most.",
                      type: .int(1...1_000_000), default: .int(100), steps: .list([10, 20, 50, 100, 200].map(SettingValue.int)),
                      appliesTo: aqlm),
        MethodSetting("reseed_dead_codes", label: "re-seed dead codes",
                      help: "Move k-means clusters that end empty onto the worst-fitted points.", type: .bool, default: .bool(false),
                      appliesTo: aqlm),
        MethodSetting("seed", flag: "--aqlm-seed", label: "seed", help: "Seed of the k-means seeding and the code search order.",
                      type: .int(0...Int.max), default: .int(0), steps: .by(1), appliesTo: aqlm),
    ]

    /// The setting with recipe key `key`.
    public static func setting(_ key: String) -> MethodSetting? { byKey[key] }

    /// The setting with command-line flag `flag` (`--group-size`).
    public static func setting(flag: String) -> MethodSetting? { byFlag[flag] }

    /// Every setting at its default.
    public static let defaults: [String: SettingValue] = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0.defaultValue) })

    /// The settings that apply to `method` when the settings are `values` (defaults where not given), in table order.
    public static func applicable(to method: MethodName, values: [String: SettingValue] = [:]) -> [MethodSetting] {
        let resolved = defaults.merging(values) { $1 }
        return settings.filter { $0.applies(to: method, values: resolved) }
    }

    private static let byKey = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0) })
    private static let byFlag = Dictionary(uniqueKeysWithValues: settings.map { ($0.flag, $0) })
}

extension SweepSchedule {
    /// `relaxed` or `always-round`, as recipes, flags and layer files spell it.
    public var name: String {
        switch self {
        case .relaxed: return "relaxed"
        case .alwaysRound: return "always-round"
        }
    }
}
