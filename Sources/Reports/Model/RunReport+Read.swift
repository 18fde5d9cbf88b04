import Foundation

extension RunReport {
    /// Reads `run.json` from a run folder.
    ///
    /// Throws ``ReportError/notARunFolder(_:)`` when there is no `run.json`, ``ReportError/unsupportedSchema(path:version:)``
    /// for a newer schema, and ``ReportError/unreadable(path:reason:)`` when the file is not a valid report.
    public static func read(from runFolder: URL) throws -> RunReport {
        let file = runFolder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { throw ReportError.notARunFolder(runFolder.path) }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ReportError.unreadable(path: file.path, reason: error.localizedDescription)
        }
        let decoder = ReportJSON.decoder()
        let version: Int
        do { version = try decoder.decode(SchemaProbe.self, from: data).schemaVersion } catch {
            throw ReportError.unreadable(path: file.path, reason: "not a run report: \(describe(error))")
        }
        guard version == currentSchemaVersion else { throw ReportError.unsupportedSchema(path: file.path, version: version) }
        do { return try decoder.decode(RunReport.self, from: data) } catch {
            throw ReportError.unreadable(path: file.path, reason: describe(error))
        }
    }

    private struct SchemaProbe: Decodable { var schemaVersion: Int }

    /// A decoding error as one line: what is wrong and where.
    private static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?: return "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?:
            return "wrong value at \(path(context.codingPath)): \(context.debugDescription)"
        case let .dataCorrupted(context)?: return "malformed JSON at \(path(context.codingPath)): \(context.debugDescription)"
        default: return error.localizedDescription
        }
    }
}
