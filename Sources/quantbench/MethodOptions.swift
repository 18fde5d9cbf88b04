import ArgumentParser
import QuantCore

/// The solver flags shared by every command that quantizes (`solve`, `quantize`), turned into a `LayerMethod`.
struct MethodOptions: ParsableArguments {
    /// The method names the command line accepts.
    enum Method: String, ExpressibleByArgument, CaseIterable {
        case rtn, gptq, quantease
        case quanteaseOutlier = "quantease-outlier"
        case aqlm
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

    @Option(help: "The solver: rtn, gptq, quantease, quantease-outlier or aqlm.")
    var method: Method
    @Option(name: .customLong("bits"), help: "Bits per weight, 2…8 (every method but aqlm).")
    var gridBits: Int?
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
    @Option(help: "aqlm: codebooks summed per group, M (default 2).")
    var numCodebooks: Int?
    @Option(help: "aqlm: bits per codebook, B: 2^B entries, 1…16 (default 8).")
    var nbitsPerCodebook: Int?
    @Option(help: "aqlm: input channels per group, g (default 8).")
    var inGroupSize: Int?
    @Option(help: "aqlm: hypotheses per row in the code search (default 1).")
    var beamSize: Int?
    @Option(help: "aqlm: epochs of codebook update + code search at most (default 1000).")
    var maxEpochs: Int?
    @Option(help: "aqlm: Adam steps per epoch (default 100).")
    var stepsPerEpoch: Int?
    @Option(help: "aqlm: stop when an epoch lowers the loss by less than this fraction, or 'none' (default 0.01).")
    var relativeTolerance: String?
    @Option(help: "aqlm: Adam learning rate (default 1e-4).")
    var lr: Double?
    @Option(help: "aqlm: adam or least-squares (closed form for fixed codes; small codebooks only).")
    var codebookUpdate: CodebookUpdate?
    @Option(help: "aqlm: k-means iterations of the initialisation at most (default 100).")
    var initMaxIter: Int?
    @Flag(help: "aqlm: move k-means clusters that end empty onto the worst-fitted points.")
    var reseedDeadCodes = false
    @Option(name: .customLong("aqlm-seed"), help: "aqlm: seed of the k-means seeding and the code search order (default 0).")
    var aqlmSeed: UInt64?

    /// Runs at parse time, so a flag the method ignores is reported with the subcommand's usage.
    func validate() throws {
        try rejectUnusedFlags()
    }

    /// The method with every given setting; rejects flags the method does not use and out-of-range values.
    func layerMethod() throws -> LayerMethod {
        try rejectUnusedFlags()
        if method == .aqlm { return try aqlmMethod() }
        guard let gridBits else { throw ValidationError("--method \(method.rawValue) needs --bits") }
        let grid = try GridOptions(bits: gridBits, symmetric: sym, groupSize: groupSize)
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
        case .aqlm:
            return try aqlmMethod()
        }
    }

    private func aqlmMethod() throws -> LayerMethod {
        let tolerance: Double?
        switch relativeTolerance {
        case nil: tolerance = 0.01
        case "none"?: tolerance = nil
        case let text?:
            guard let t = Double(text) else { throw ValidationError("--relative-tolerance '\(text)' is not a number or 'none'") }
            tolerance = t
        }
        return .aqlm(try AQLMOptions(codebooks: numCodebooks ?? 2, bits: nbitsPerCodebook ?? 8, groupSize: inGroupSize ?? 8,
                                     beamSize: beamSize ?? 1, maxEpochs: maxEpochs ?? 1000, stepsPerEpoch: stepsPerEpoch ?? 100,
                                     relativeTolerance: tolerance, learningRate: lr ?? 1e-4, codebookUpdate: codebookUpdate ?? .adam,
                                     initMaxIterations: initMaxIter ?? 100, reseedDeadCodes: reseedDeadCodes, seed: aqlmSeed ?? 0))
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
        let aqlm = method == .aqlm
        let uses: [(flag: String, given: Bool, used: Bool)] = [
            ("--bits", gridBits != nil, !aqlm),
            ("--group-size", groupSize != -1, !aqlm),
            ("--sym", sym, !aqlm),
            ("--act-order", actOrder, method == .gptq || method == .quantease),
            ("--static-groups", staticGroups, gptqStart),
            ("--block-size", blockSize != nil, method != .rtn && !aqlm),
            ("--damping", damping != nil, gptqStart),
            ("--sweeps", sweeps != nil, coordinateDescent),
            ("--schedule", schedule != nil, coordinateDescent),
            ("--init", start != nil, method == .quantease),
            ("--outlier-fraction", outlierFraction != nil, method == .quanteaseOutlier),
            ("--outlier-structure", outlierStructure != nil, method == .quanteaseOutlier),
            ("--alpha", alpha != nil, method == .quanteaseOutlier),
            ("--num-codebooks", numCodebooks != nil, aqlm),
            ("--nbits-per-codebook", nbitsPerCodebook != nil, aqlm),
            ("--in-group-size", inGroupSize != nil, aqlm),
            ("--beam-size", beamSize != nil, aqlm),
            ("--max-epochs", maxEpochs != nil, aqlm),
            ("--steps-per-epoch", stepsPerEpoch != nil, aqlm),
            ("--relative-tolerance", relativeTolerance != nil, aqlm),
            ("--lr", lr != nil, aqlm),
            ("--codebook-update", codebookUpdate != nil, aqlm),
            ("--init-max-iter", initMaxIter != nil, aqlm),
            ("--reseed-dead-codes", reseedDeadCodes, aqlm),
            ("--aqlm-seed", aqlmSeed != nil, aqlm),
        ]
        if let unused = uses.first(where: { $0.given && !$0.used }) {
            let context = method == .quantease && start != .gptq && ["--static-groups", "--damping"].contains(unused.flag)
                ? " without --init gptq" : ""
            throw ValidationError("\(unused.flag) does not apply to --method \(method.rawValue)\(context)")
        }
    }
}


extension CodebookUpdate: ExpressibleByArgument {}
