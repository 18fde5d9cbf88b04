import Engine

/// How a reported run stands: one of the `RunStatus` endings, or still running.
public enum RunReportStatus: String, Sendable, Equatable, Codable {
    case running, completed, cancelled, failed

    /// The report status of a run state's status (`nil`: the run has not ended).
    public init(_ status: RunStatus?) {
        switch status {
        case nil: self = .running
        case .completed?: self = .completed
        case .cancelled?: self = .cancelled
        case .failed?: self = .failed
        }
    }
}
