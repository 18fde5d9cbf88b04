/// How AQLM refits codebooks (and scales) between two code searches.
public enum CodebookUpdate: String, Sendable, Codable, CaseIterable {
    /// The reference: `stepsPerEpoch` Adam steps on codebooks and scales, state kept across epochs.
    case adam
    /// Closed form for fixed codes: the optimal per-row scales, then the fp64 normal equations of the
    /// `M·2^B·g` codebook entries (feasible for small codebooks such as 2x8g8, not for 1x16).
    case leastSquares = "least-squares"
}

/// Settings of AQLM (additive quantization with M codebooks of `2^bits` vectors over groups of
/// `groupSize` input channels, one scale per output row). Defaults follow the reference `main.py`,
/// except the relative tolerance, which the reference README sets to 0.01.
///
/// ```swift
/// let o = try AQLMOptions(codebooks: 2, bits: 8, groupSize: 8)   // 2x8g8, about 2 bits per weight
/// ```
public struct AQLMOptions: Sendable, Equatable, Codable {
    /// M, the number of codebooks summed per group.
    public var codebooks: Int
    /// B: each codebook has `2^bits` vectors (codes are stored as 16-bit integers).
    public var bits: Int
    /// g, the input channels per group (the codevector length).
    public var groupSize: Int
    /// Hypotheses kept per row by the code search (1 = exact greedy coordinate descent).
    public var beamSize: Int
    public var maxEpochs: Int
    /// Adam steps per epoch (ignored by the least-squares update).
    public var stepsPerEpoch: Int
    /// Stop when an epoch's starting loss is not below `(1 − tol)` × the best so far; nil runs every epoch.
    public var relativeTolerance: Double?
    public var learningRate: Double
    public var codebookUpdate: CodebookUpdate
    /// Iteration cap of the residual k-means initialisation.
    public var initMaxIterations: Int
    /// Move empty k-means clusters onto the worst-fitted points (the reference keeps them where they are).
    public var reseedDeadCodes: Bool
    /// Seed of k-means seeding and of the visiting order of the code search.
    public var seed: UInt64

    /// Largest `M·2^B·g` the least-squares update accepts (an fp64 system of that order).
    public static let leastSquaresLimit = 8192

    public init(codebooks: Int = 2, bits: Int = 8, groupSize: Int = 8, beamSize: Int = 1, maxEpochs: Int = 1000,
                stepsPerEpoch: Int = 100, relativeTolerance: Double? = 0.01, learningRate: Double = 1e-4,
                codebookUpdate: CodebookUpdate = .adam, initMaxIterations: Int = 100, reseedDeadCodes: Bool = false,
                seed: UInt64 = 0) throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> QuantError {
            .invalidOption(name: name, value: "\(value)", expected: expected)
        }
        guard (1...16).contains(codebooks) else { throw bad("num_codebooks", codebooks, "1…16") }
        guard (1...16).contains(bits) else { throw bad("nbits_per_codebook", bits, "1…16") }
        guard (1...256).contains(groupSize) else { throw bad("in_group_size", groupSize, "1…256") }
        guard beamSize >= 1 else { throw bad("beam_size", beamSize, "≥ 1") }
        guard maxEpochs >= 1 else { throw bad("max_epochs", maxEpochs, "≥ 1") }
        guard stepsPerEpoch >= 0 else { throw bad("steps_per_epoch", stepsPerEpoch, "≥ 0") }
        if let t = relativeTolerance, !(t >= 0 && t < 1) { throw bad("relative_tolerance", t, "in [0, 1)") }
        guard learningRate > 0, learningRate.isFinite else { throw bad("lr", learningRate, "> 0") }
        guard initMaxIterations >= 1 else { throw bad("init_max_iter", initMaxIterations, "≥ 1") }
        if codebookUpdate == .leastSquares, codebooks * (1 << bits) * groupSize > Self.leastSquaresLimit {
            throw bad("codebook_update", "least-squares",
                      "num_codebooks·2^nbits·in_group_size ≤ \(Self.leastSquaresLimit) (here \(codebooks * (1 << bits) * groupSize)); use adam")
        }
        self.codebooks = codebooks
        self.bits = bits
        self.groupSize = groupSize
        self.beamSize = beamSize
        self.maxEpochs = maxEpochs
        self.stepsPerEpoch = stepsPerEpoch
        self.relativeTolerance = relativeTolerance
        self.learningRate = learningRate
        self.codebookUpdate = codebookUpdate
        self.initMaxIterations = initMaxIterations
        self.reseedDeadCodes = reseedDeadCodes
        self.seed = seed
    }

    /// Entries per codebook, `2^bits`.
    public var codebookSize: Int { 1 << bits }

    /// The scheme name, e.g. `2x8g8`.
    public var scheme: String { "\(codebooks)x\(bits)g\(groupSize)" }

    /// Throws unless a layer with `columns` input channels splits into whole groups.
    public func check(columns: Int) throws {
        guard columns % groupSize == 0 else {
            throw QuantError.invalidOption(name: "in_group_size", value: "\(groupSize)",
                                           expected: "a divisor of the layer's \(columns) input channels")
        }
    }

    /// Storage cost per weight of a `rows × columns` layer (codes, fp16 codebooks, fp16 row scales).
    public func bitsPerWeight(rows: Int, columns: Int) -> Double {
        AdditiveCodebooks<Float>.bitsPerParameter(rows: rows, cols: columns, codebooks: codebooks, bits: bits, groupSize: groupSize)
    }
}
