/// What the run state knows of block fine-tuning.
public struct TuningState: Sendable, Equatable {
    /// The block being tuned, nil between blocks.
    public private(set) var activeBlock: Int? = nil
    /// The steps of the active block, or of the last one tuned.
    public private(set) var steps: [TuningProgress] = []
    /// Finished blocks by index.
    public private(set) var finished: [Int: BlockTuningSummary] = [:]

    public init() {}

    mutating func apply(_ progress: TuningProgress) {
        if activeBlock != progress.block { steps = [] }
        activeBlock = progress.block
        steps.append(progress)
    }

    mutating func finish(_ summary: BlockTuningSummary) {
        finished[summary.block] = summary
        if activeBlock == summary.block { activeBlock = nil }
        if steps.first?.block != summary.block { steps = summary.history }
    }
}
