import Foundation
import ModelKit

/// Writes a run report into a run folder in the chosen formats.
///
/// Every file is rendered in memory first, then written under a temporary name and renamed, so a failure
/// never leaves a half-written report.
public enum ReportWriter {
    /// Writes `report` as each of `formats` into `folder` (created when missing) and returns the files written.
    public static func write(_ report: RunReport, formats: [ReportFormat], to folder: URL) throws -> [URL] {
        var files: [(name: String, data: Data)] = []
        for format in formats {
            let contents: [Data]
            switch format {
            case .json: contents = [try ReportJSON.encode(report)]
            case .csv: contents = [CSVReports.layers(report), CSVReports.sweeps(report)].map { Data($0.utf8) }
            case .markdown: contents = [Data(MarkdownReport.render(report).utf8)]
            case .html: contents = [Data(HTMLReport.render(report).utf8)]
            }
            files += zip(format.fileNames, contents).map { ($0, $1) }
        }
        do { try AtomicFile.makeFolder(folder) } catch { throw ReportError.writeFailed(path: error.path, reason: error.reason) }
        return try files.map { file in
            let url = folder.appendingPathComponent(file.name)
            do { try AtomicFile.write(file.data, to: url) } catch { throw ReportError.writeFailed(path: url.path, reason: (error as? FileWriteError)?.reason ?? ErrorWords.describe(error)) }
            return url
        }
    }
}
