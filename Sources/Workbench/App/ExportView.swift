/// One line of the export picker: a target (the run folder, a checkpoint format) or an outlier handling,
/// with what it does and for whom.
public struct ExportChoice: Sendable, Equatable {
    public var name: String
    public var detail: String

    public init(_ name: String, _ detail: String) {
        self.name = name
        self.detail = detail
    }
}

/// What ⏎ in the export picker asks for: a target by name and, for a checkpoint format, the outlier handling.
public struct ExportRequest: Sendable, Equatable {
    public var target: String
    public var outliers: String?
}

/// The export picker's state (`e`): the targets the executable offers, the one chosen, the outlier handling,
/// and the export under way or what the last one said.
public struct ExportView: Sendable, Equatable {
    /// An export being written: its target and the share of its bytes written.
    public struct Progress: Sendable, Equatable {
        public var target: String
        public var fraction: Double
    }

    public var targets: [ExportChoice]
    /// The choices for layers that keep outliers; the first is the default.
    public var outlierHandling: [ExportChoice]
    /// Targets the outlier handling does not apply to (the run folder keeps outliers as they are).
    public var keepsOutliers: Set<String>
    public var choice = 0
    public var outliers = 0
    public var running: Progress? = nil
    /// What the last export said: where it wrote, or why it could not.
    public var outcome: String? = nil
    public var failed = false

    public init(targets: [ExportChoice] = [], outlierHandling: [ExportChoice] = [], keepsOutliers: Set<String> = []) {
        self.targets = targets
        self.outlierHandling = outlierHandling
        self.keepsOutliers = keepsOutliers
    }

    /// The chosen target takes an outlier handling.
    public var choiceTakesOutliers: Bool {
        targets.indices.contains(choice) && !keepsOutliers.contains(targets[choice].name) && !outlierHandling.isEmpty
    }

    /// The request for the chosen target, marked as running; nil when there is nothing to choose.
    mutating func start() -> ExportRequest? {
        guard targets.indices.contains(choice) else { return nil }
        let target = targets[choice].name
        running = Progress(target: target, fraction: 0)
        outcome = nil
        failed = false
        return ExportRequest(target: target, outliers: choiceTakesOutliers ? outlierHandling[outliers].name : nil)
    }

    /// The export ended with `text` (failed: the reason it could not be written).
    public mutating func finish(_ text: String, failed: Bool) {
        running = nil
        outcome = text
        self.failed = failed
    }

    /// `exporting gptq 42%` for the status bar.
    func statusText(ellipsis: String) -> String? {
        running.map { "exporting \($0.target) \(Int(($0.fraction * 100).rounded(.down)))%" + ($0.fraction < 1 ? ellipsis : "") }
    }
}
