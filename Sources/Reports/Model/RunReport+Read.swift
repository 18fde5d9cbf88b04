import Foundation
import ModelKit

extension RunReport {
    /// Reads `run.json` from a run folder.
    ///
    /// Throws ``ReportError/notARunFolder(_:)`` when there is no `run.json`, ``ReportError/unsupportedSchema(path:version:)``
    /// for a newer schema, and ``ReportError/unreadable(path:reason:)`` when the file is not a valid report.
    public static func read(from runFolder: URL) throws -> RunReport {
        let file = runFolder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { throw ReportError.notARunFolder(runFolder.path) }
        let data: Data
        do { data = Data(try RegularFile.contents(of: file)) } catch {
            throw ReportError.unreadable(path: file.path, reason: error.reason)
        }
        let decoder = ReportJSON.decoder()
        let version: Int
        do { version = try decoder.decode(SchemaProbe.self, from: data).schemaVersion } catch {
            throw ReportError.unreadable(path: file.path, reason: "not a run report: \(ErrorWords.describe(error))")
        }
        guard version == currentSchemaVersion else { throw ReportError.unsupportedSchema(path: file.path, version: version) }
        do { return try decoder.decode(RunReport.self, from: data) } catch {
            throw ReportError.unreadable(path: file.path, reason: ErrorWords.describe(error))
        }
    }

    private struct SchemaProbe: Decodable { var schemaVersion: Int }
}
