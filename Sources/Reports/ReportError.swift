/// Why a report could not be written or read back.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case unknownFormat(String)
    case notARunFolder(String)
    case unreadable(path: String, reason: String)
    /// `run.json` was written by a newer schema than this build reads.
    case unsupportedSchema(path: String, version: Int)
    case writeFailed(path: String, reason: String)
    /// The run has not started: there is nothing to report yet.
    case runNotStarted

    public var description: String {
        switch self {
        case let .unknownFormat(f): return "unknown report format '\(f)': expected md, html, json, csv or all"
        case let .notARunFolder(p): return "\(p) is not a run folder (no run.json)"
        case let .unreadable(p, r): return "cannot read \(p): \(r)"
        case let .unsupportedSchema(p, v):
            return "\(p) has report schema version \(v); this build reads version \(RunReport.currentSchemaVersion)"
        case let .writeFailed(p, r): return "cannot write \(p): \(r)"
        case .runNotStarted: return "the run has not started yet: nothing to report"
        }
    }
}
