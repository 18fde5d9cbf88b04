import Foundation
import Testing
import TUIKit
@testable import Workbench

/// Shipped themes are always there, user folders add to them, and a theme that is not there (or does not
/// load) is an error before the screen opens, not a silent default.
@Suite struct ThemeDiscoveryTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
    private var log: FileLog { FileLog(url: scratch.appendingPathComponent("log.txt")) }

    private func folder(_ name: String, themes: [String: String]) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (theme, text) in themes { try text.write(to: url.appendingPathComponent("\(theme).theme"), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func userThemesAddToTheShippedOnesAndReplaceSameNamedOnes() throws {
        let shipped = try folder("shipped", themes: ["plain": "theme[main_fg]=\"#101010\"\n", "warm": "theme[main_fg]=\"#202020\"\n"])
        let user = try folder("user", themes: ["warm": "theme[main_fg]=\"#303030\"\n", "mine": "theme[main_fg]=\"#404040\"\n"])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let themes = try Resources.themes(preferred: "mine", folders: [shipped, user], log: log)
        #expect(themes.map(\.name) == ["mine", "plain", "warm"])
        let warm = try Resources.themes(preferred: "warm", folders: [shipped, user], log: log)[0]
        #expect(warm == (try ThemeParser.load(user.appendingPathComponent("warm.theme"))))
    }

    @Test func anUnknownOrBrokenThemeIsAnError() throws {
        let shipped = try folder("shipped", themes: ["plain": "theme[main_fg]=\"#101010\"\n", "broken": "theme[main_fg]=\"#12\"zz\n"])
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(throws: ThemeNotFound(name: "nosuch", available: ["plain"], faults: [])) {
            try Resources.themes(preferred: "nosuch", folders: [shipped], log: log)
        }
        let error = try #require(throws: ThemeNotFound.self) { try Resources.themes(preferred: "broken", folders: [shipped], log: log) }
        #expect(error.faults.count == 1 && error.description.hasPrefix("theme 'broken' does not load: "))
    }
}
