import Testing
@testable import Reports

@Suite struct ReportFormatTests {
    @Test func parsesListsAndRejectsUnknownFormats() throws {
        #expect(try ReportFormat.parseList("md,html, json ,csv") == [.markdown, .html, .json, .csv])
        #expect(try ReportFormat.parseList("all") == ReportFormat.allCases)
        #expect(try ReportFormat.parseList("markdown,md") == [.markdown])
        #expect(throws: ReportError.unknownFormat("pdf")) { try ReportFormat.parseList("md,pdf") }
    }
}
