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

    /// The names of the files this format writes into a run folder.
    public var fileNames: [String] {
        switch self {
        case .markdown: return ["report.md"]
        case .html: return ["report.html"]
        case .json: return [RunReport.fileName]
        case .csv: return ["layers.csv", "sweeps.csv"]
        }
    }
}
