import Foundation
import Testing
@testable import Workbench
import TUIKit

/// The README's keys tables are the keymap's, as the help overlay is: this test fails when a binding
/// changes and the README was not regenerated (`RECORD_README=1` rewrites the part between the markers).
@Suite("README keys") struct ReadmeKeysTests {
    static let begin = "<!-- keys: generated from the keymap by ReadmeKeysTests; RECORD_README=1 swift test --filter ReadmeKeys -->"
    static let end = "<!-- keys: end -->"

    /// A table per screen (the help overlay's sections), a row per binding.
    static func markdown(_ keymap: WorkbenchKeymap) -> String {
        var out: [String] = []
        for screen in Screen.allCases where screen != .help {
            out += ["", "**\(screen.title)**", "", "| keys | action |", "|---|---|"]
            for b in keymap.bindings(on: screen) {
                let keys = b.keys.map { "`" + $0.label(.unicode).replacingOccurrences(of: "|", with: "\\|") + "`" }.joined(separator: " ")
                out.append("| \(keys) | \(b.help.replacingOccurrences(of: "|", with: "\\|")) |")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    @Test func readmeListsTheKeymap() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(readme.range(of: Self.begin), "README.md has no keys marker")
        let stop = try #require(readme.range(of: Self.end, range: start.upperBound..<readme.endIndex), "README.md has no end marker")
        let generated = Self.markdown(.standard)
        if ProcessInfo.processInfo.environment["RECORD_README"] != nil {
            try readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: generated).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(readme[start.upperBound..<stop.lowerBound]) == generated,
                "README.md's keys tables differ from the keymap: RECORD_README=1 swift test --filter ReadmeKeys rewrites them")
    }
}
