import Foundation

/// Writes a run report into a run folder in the chosen formats.
///
/// Every file is rendered in memory first, then written under a temporary name and renamed, so a failure
/// never leaves a half-written report.
public enum ReportWriter {
    /// Writes `report` as each of `formats` into `folder` (created when missing) and returns the files written.
    public static func write(_ report: RunReport, formats: [ReportFormat], to folder: URL) throws -> [URL] {
        var files: [(name: String, data: Data)] = []
        for format in formats {
            switch format {
            case .json: files.append((RunReport.fileName, try ReportJSON.encode(report)))
            case .csv:
                files.append(("layers.csv", Data(CSVReports.layers(report).utf8)))
                files.append(("sweeps.csv", Data(CSVReports.sweeps(report).utf8)))
            case .markdown: files.append(("report.md", Data(MarkdownReport.render(report).utf8)))
            case .html: files.append(("report.html", Data(HTMLReport.render(report).utf8)))
            }
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        return try files.map { file in
            let url = folder.appendingPathComponent(file.name)
            try AtomicFile.write(file.data, to: url)
            return url
        }
    }
}
