import ArgumentParser
import QuantCore

/// The solver flags shared by every command that quantizes (`solve`, `quantize`), turned into a `LayerMethod`.
struct MethodOptions: ParsableArguments {
    /// The method names the command line accepts.
    enum Method: String, ExpressibleByArgument, CaseIterable {
        case rtn, gptq, quantease
        case quanteaseOutlier = "quantease-outlier"
    }

    /// `--schedule relaxed|always-round`.
    enum Schedule: String, ExpressibleByArgument, CaseIterable {
        case relaxed
        case alwaysRound = "always-round"
    }

    /// `--init w|gptq`.
    enum Start: String, ExpressibleByArgument, CaseIterable {
        case w, gptq
    }

    /// `--outlier-structure unstructured|columns`.
    enum Structure: String, ExpressibleByArgument, CaseIterable {
        case unstructured, columns
    }

    @Option(help: "The solver: rtn, gptq, quantease or quantease-outlier.")
    var method: Method
    @Option(help: "Bits per weight, 2…8.")
    var bits: Int
    @Option(help: "Columns per grid group; -1 (default) fits one grid per row.")
    var groupSize: Int = -1
    @Flag(help: "Symmetric grids (zero point fixed at the middle code).")
    var sym = false
    @Flag(help: "gptq, quantease: visit columns in descending diag(Σ) order.")
    var actOrder = false
    @Flag(help: "gptq, quantease --init gptq: fit every group's grid up front on the un-permuted W.")
    var staticGroups = false
    @Option(help: "gptq: columns per lazy batch; quantease(-outlier): columns per blocked sweep (default 128).")
    var blockSize: Int?
    @Option(help: "gptq, quantease --init gptq: damping as a fraction of mean(diag Σ) (default 0.01).")
    var damping: Double?
    @Option(help: "quantease(-outlier): coordinate-descent sweeps (default 30).")
    var sweeps: Int?
    @Option(help: "quantease(-outlier): relaxed or always-round (default relaxed; always-round with --init gptq).")
    var schedule: Schedule?
    @Option(name: .customLong("init"), help: "quantease: start from W (w, default) or from a GPTQ solve (gptq).")
    var start: Start?
    @Option(help: "quantease-outlier: share of weights (or input columns) kept in full precision, 0…0.5 (default 0.01).")
    var outlierFraction: Double?
    @Option(help: "quantease-outlier: unstructured (any weights) or columns (whole input columns).")
    var outlierStructure: Structure?
    @Option(help: "quantease-outlier: hard-thresholding step α (η = α / 2λmax(Σ); default 1).")
    var alpha: Double?

    /// Runs at parse time, so a flag the method ignores is reported with the subcommand's usage.
    func validate() throws {
        try rejectUnusedFlags()
    }

    /// The method with every given setting; rejects flags the method does not use and out-of-range values.
    func layerMethod() throws -> LayerMethod {
        try rejectUnusedFlags()
        let grid = try GridOptions(bits: bits, symmetric: sym, groupSize: groupSize)
        switch method {
        case .rtn:
            return .rtn(grid)
        case .gptq:
            return .gptq(try gptqOptions(grid))
        case .quantease:
            let initialization: QuantEaseInit = start == .gptq ? .gptq(try gptqOptions(grid)) : .weights
            let defaultSchedule: Schedule = start == .gptq ? .alwaysRound : .relaxed
            return .quantease(try QuantEaseOptions(grid: grid, sweeps: sweeps ?? 30,
                                                   schedule: Self.sweepSchedule(schedule ?? defaultSchedule),
                                                   initialization: initialization, actOrder: actOrder,
                                                   implementation: .blocked(blockSize: blockSize ?? 128)))
        case .quanteaseOutlier:
            return .outlierQuantEase(try OutlierQuantEaseOptions(
                grid: grid, fraction: outlierFraction ?? 0.01, structure: outlierStructure == .columns ? .columns : .unstructured,
                sweeps: sweeps ?? 30, alpha: alpha ?? 1, schedule: Self.sweepSchedule(schedule ?? .relaxed),
                blockSize: blockSize ?? 128))
        }
    }

    private func gptqOptions(_ grid: GridOptions) throws -> GPTQOptions {
        let blocks = method == .gptq ? (blockSize ?? 128) : 128
        return try GPTQOptions(grid: grid, blockSize: blocks, dampingFraction: damping ?? 0.01,
                               actOrder: actOrder, staticGroups: staticGroups)
    }

    private static func sweepSchedule(_ s: Schedule) -> SweepSchedule {
        switch s {
        case .relaxed: return .relaxed
        case .alwaysRound: return .alwaysRound
        }
    }

    /// A flag given to a method that ignores it is an error, so a typo in a recipe is never silently dropped.
    private func rejectUnusedFlags() throws {
        let gptqStart = method == .gptq || (method == .quantease && start == .gptq)
        let coordinateDescent = method == .quantease || method == .quanteaseOutlier
        let uses: [(flag: String, given: Bool, used: Bool)] = [
            ("--act-order", actOrder, method == .gptq || method == .quantease),
            ("--static-groups", staticGroups, gptqStart),
            ("--block-size", blockSize != nil, method != .rtn),
            ("--damping", damping != nil, gptqStart),
            ("--sweeps", sweeps != nil, coordinateDescent),
            ("--schedule", schedule != nil, coordinateDescent),
            ("--init", start != nil, method == .quantease),
            ("--outlier-fraction", outlierFraction != nil, method == .quanteaseOutlier),
            ("--outlier-structure", outlierStructure != nil, method == .quanteaseOutlier),
            ("--alpha", alpha != nil, method == .quanteaseOutlier),
        ]
        if let unused = uses.first(where: { $0.given && !$0.used }) {
            let context = method == .quantease && start != .gptq && ["--static-groups", "--damping"].contains(unused.flag)
                ? " without --init gptq" : ""
            throw ValidationError("\(unused.flag) does not apply to --method \(method.rawValue)\(context)")
        }
    }
}

