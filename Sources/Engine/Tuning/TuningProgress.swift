/// One Adam step of a block's fine-tuning, or the held-out check that ends an epoch.
public struct TuningProgress: Sendable, Equatable, Codable {
    public let block: Int
    public let epoch: Int
    public let epochs: Int
    /// Steps taken so far in this block's tuning (1-based).
    public let step: Int
    /// ‖block_q(X) − block_fp(X)‖² / ‖block_fp(X)‖² on this step's windows.
    public let loss: Double
    /// The same on the held-out windows, at the end of an epoch (nil on other steps, and without held-out windows).
    public let heldOutLoss: Double?
    public let elapsed: Double

    public init(block: Int, epoch: Int, epochs: Int, step: Int, loss: Double, heldOutLoss: Double?, elapsed: Double) {
        (self.block, self.epoch, self.epochs, self.step, self.loss, self.heldOutLoss, self.elapsed) =
            (block, epoch, epochs, step, loss, heldOutLoss, elapsed)
    }
}

/// What one block's fine-tuning did.
public struct BlockTuningSummary: Sendable, Equatable, Codable {
    public let block: Int
    /// The held-out relative output error before tuning and with the parameters kept (the training loss
    /// where no window is held out).
    public let before: Double, after: Double
    public let epochsRun: Int
    public let steps: Int
    /// Why it stopped.
    public let stop: TuningStop
    public let seconds: Double
    public let history: [TuningProgress]

    public init(block: Int, before: Double, after: Double, epochsRun: Int, steps: Int, stop: TuningStop, seconds: Double,
                history: [TuningProgress]) {
        (self.block, self.before, self.after, self.epochsRun, self.steps, self.stop, self.seconds, self.history) =
            (block, before, after, epochsRun, steps, stop, seconds, history)
    }

    /// It ran to its end (not cancelled): a resumed run does not tune the block again.
    public var completed: Bool { stop != .cancelled }
}

/// Why a block's fine-tuning ended.
public enum TuningStop: String, Sendable, Equatable, Codable {
    /// It ran every epoch.
    case epochs
    /// The held-out error stopped falling for more than `patience` epochs.
    case earlyStop = "early stop"
    /// The user cancelled; the best parameters so far are kept.
    case cancelled
}
