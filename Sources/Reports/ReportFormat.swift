import Foundation
/// The files a run report can be exported as.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    /// `report.md`
    case markdown = "md"
    /// `report.html`, self-contained with inline SVG charts
    case html
    /// `run.json`
    case json
    /// `layers.csv` and `sweeps.csv`
    case csv

    /// Parses a comma-separated list such as `md,html,json,csv`; `all` means every format.
    public static func parseList(_ text: String) throws -> [ReportFormat] {
        var out: [ReportFormat] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
            if part == "all" { return allCases }
            let alias = part == "markdown" ? "md" : part
            guard let f = ReportFormat(rawValue: alias) else { throw ReportError.unknownFormat(part) }
            if !out.contains(f) { out.append(f) }
        }
        guard !out.isEmpty else { throw ReportError.unknownFormat(text) }
        return out
    }
}

/// Why a report could not be written or read back.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case unknownFormat(String)
    case notARunFolder(String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownFormat(f): return "unknown report format '\(f)': expected md, html, json, csv or all"
        case let .notARunFolder(p): return "\(p) is not a run folder (no run.json)"
        case let .unreadable(p, r): return "cannot read \(p): \(r)"
        }
    }
}
