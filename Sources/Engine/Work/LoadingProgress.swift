/// A step of opening a model before its run starts (checkpoint, tokenizer, calibration text, windows).
public struct LoadingProgress: Sendable, Equatable {
    /// Steps finished so far, of `total`.
    public var done: Int
    public var total: Int
    /// What runs now, e.g. `reading the tokenizer`.
    public var step: String

    /// How far a long step is where it counts its parts (the bit allocation's measurements), else nil.
    public var part: Part?

    /// `done` of `total` parts of a step.
    public struct Part: Sendable, Equatable {
        public var done: Int, total: Int

        public init(done: Int, total: Int) { (self.done, self.total) = (done, total) }
    }

    public init(done: Int, total: Int, step: String, part: Part? = nil) {
        self.done = done
        self.total = total
        self.step = step
        self.part = part
    }
}
