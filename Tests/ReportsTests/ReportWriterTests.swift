import Foundation
import Testing
@testable import Reports

@Suite struct ReportWriterTests {
    static let allFiles = ["layers.csv", "report.html", "report.md", "run.json", "sweeps.csv"]

    @Test func writesEveryFormatAndNoTemporaryFiles() throws {
        try ReportFixture.withTemporaryFolder { folder in
            let written = try ReportWriter.write(ReportFixture.report(), formats: ReportFormat.allCases, to: folder)
            #expect(written.map(\.lastPathComponent) == ReportFormat.allCases.flatMap(\.fileNames))
            #expect(written.map(\.lastPathComponent).sorted() == Self.allFiles)
            _ = try ReportWriter.write(ReportFixture.report(), formats: ReportFormat.allCases, to: folder)   // replaces in place
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == Self.allFiles)
        }
    }

    @Test func createsAMissingRunFolder() throws {
        try ReportFixture.withTemporaryFolder { folder in
            let run = folder.appendingPathComponent("runs/first")
            let written = try ReportWriter.write(ReportFixture.report(), formats: [.markdown], to: run)
            #expect(written == [run.appendingPathComponent("report.md")])
            #expect(FileManager.default.fileExists(atPath: written[0].path))
        }
    }

    @Test func aFailedRenameLeavesNoTemporaryFile() throws {
        try ReportFixture.withTemporaryFolder { folder in
            // A folder where report.md should go: the rename over it fails.
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("report.md/keep"), withIntermediateDirectories: true)
            #expect(throws: ReportError.self) {
                try ReportWriter.write(ReportFixture.report(), formats: [.json, .markdown], to: folder)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["report.md", "run.json"])
        }
    }

    @Test func aFileInPlaceOfTheFolderIsAWriteError() throws {
        try ReportFixture.withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("run")
            try Data("x".utf8).write(to: file)
            #expect {
                try ReportWriter.write(ReportFixture.report(), formats: [.json], to: file)
            } throws: { error in
                guard case let .writeFailed(path, _)? = error as? ReportError else { return false }
                return path == file.path
            }
        }
    }

    @Test func readingNamesTheFault() throws {
        try ReportFixture.withTemporaryFolder { folder in
            #expect(throws: ReportError.notARunFolder(folder.path)) { try RunReport.read(from: folder) }
            let file = folder.appendingPathComponent("run.json")

            try Data("{\"schemaVersion\": 2, \"toolVersion\": ".utf8).write(to: file)
            #expect { try RunReport.read(from: folder) } throws: { error in
                guard case let .unreadable(path, _)? = error as? ReportError else { return false }
                return path == file.path
            }

            try Data("{\"schemaVersion\": 3}".utf8).write(to: file)
            #expect(throws: ReportError.unsupportedSchema(path: file.path, version: 3)) { try RunReport.read(from: folder) }

            try Data("[1, 2]".utf8).write(to: file)
            #expect(throws: ReportError.self) { try RunReport.read(from: folder) }

            var json = try JSONSerialization.jsonObject(with: ReportJSON.encode(ReportFixture.report())) as? [String: Any] ?? [:]
            json["info"] = nil
            try JSONSerialization.data(withJSONObject: json).write(to: file)
            #expect { try RunReport.read(from: folder) } throws: { error in
                guard case let .unreadable(_, reason)? = error as? ReportError else { return false }
                return reason.contains("missing 'info'")
            }
        }
    }
}
