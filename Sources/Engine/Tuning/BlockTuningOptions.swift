import QuantCore

/// Block fine-tuning after a block's layers are quantized (AQLM's second step): the codes stay, the chosen
/// continuous parameters train with Adam to make the quantized block's output match the full-precision
/// block's on the block's calibration inputs, with a held-out slice of the windows for early stopping.
public struct BlockTuningOptions: Sendable, Equatable, Codable {
    /// Passes over the training windows at most.
    public var epochs: Int
    /// Adam's step size relative to each parameter tensor's RMS (so scales of 1e-3 and norm weights of 1 move
    /// alike): 1e-3 moves a value by about 0.1% of its tensor's typical size per step.
    public var learningRate: Double
    /// Windows per Adam step.
    public var batchWindows: Int
    /// The share of windows held out to decide when to stop (the last ones of the calibration set).
    public var heldOutFraction: Double
    /// Epochs without a better held-out loss before stopping; the best parameters are kept.
    public var patience: Int
    /// What trains.
    public var groups: [TunableGroup]

    /// The allowed values, each written once (recipes and the workbench read them).
    public static let epochRange = 1...100, batchRange = 1...256, patienceRange = 0...20
    public static let learningRateRange = 1e-6...1e-1, heldOutRange = 0.0...0.5

    public init(epochs: Int = 4, learningRate: Double = 3e-3, batchWindows: Int = 4, heldOutFraction: Double = 0.125,
                patience: Int = 2, groups: [TunableGroup] = TunableGroup.defaults) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchWindows = batchWindows
        self.heldOutFraction = heldOutFraction
        self.patience = patience
        self.groups = groups.sorted()
    }

    /// For reports, e.g. `4 epochs, lr 0.003, 4 windows/step, 12.5% held out, patience 2; scales, norms`.
    public var description: String {
        "\(epochs) epochs, lr \(learningRate), \(batchWindows) windows/step, \(heldOutFraction * 100)% held out, "
            + "patience \(patience); " + groups.map(\.rawValue).joined(separator: ", ")
    }
}
