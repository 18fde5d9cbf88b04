/// How far the calibration pass over one block has come: windows done of all, and which pass it is when the
/// block is calibrated once per true-sequential stage (q/k/v, then o, then gate/up, then down).
public struct CalibrationProgress: Sendable, Equatable {
    public var block: Int
    /// 1-based; `passes` is 1 unless the pipeline is true-sequential.
    public var pass: Int
    public var passes: Int
    public var done: Int
    public var total: Int

    public init(block: Int, pass: Int = 1, passes: Int = 1, done: Int, total: Int) {
        self.block = block
        self.pass = pass
        self.passes = passes
        self.done = done
        self.total = total
    }

    /// `block 0`, or `block 0, pass 2/4`.
    public var label: String { "block \(block)" + (passes > 1 ? ", pass \(pass)/\(passes)" : "") }
}
