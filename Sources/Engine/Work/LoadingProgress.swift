/// A step of opening a model before its run starts (checkpoint, tokenizer, calibration text, windows).
public struct LoadingProgress: Sendable, Equatable {
    /// Steps finished so far, of `total`.
    public var done: Int
    public var total: Int
    /// What runs now, e.g. `reading the tokenizer`.
    public var step: String

    public init(done: Int, total: Int, step: String) {
        self.done = done
        self.total = total
        self.step = step
    }
}
