import Foundation
import Testing
@testable import Workbench
import TUIKit

/// Compares `actual` with `Snapshots/<name>.txt` (the copy bundled with the tests). A missing file, or
/// `RECORD_SNAPSHOTS=1`, records the snapshot next to this source file and fails with "Recorded new
/// baseline", as swift-argument-parser's `assertSnapshot` does.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation, filePath: String = #filePath) {
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
    let bundled = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots")
    let expected = bundled.flatMap { try? String(contentsOf: $0, encoding: .utf8) }
    if !record, let expected {
        if expected != actual {
            let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), actual.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = diff.map { "first difference on line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" } ?? "line counts differ"
            Issue.record("snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records it); \(where_)", sourceLocation: sourceLocation)
        }
        return
    }
    var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while folder.lastPathComponent != "TUIKitTests" && folder.path != "/" { folder.deleteLastPathComponent() }
    folder.appendPathComponent("Snapshots")
    let url = folder.appendingPathComponent(name + ".txt")
    do {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("Recorded new baseline \(name).txt; run the tests again", sourceLocation: sourceLocation)
    } catch {
        Issue.record("cannot record \(url.path): \(error)", sourceLocation: sourceLocation)
    }
}

extension CellBuffer {
    /// The text of the buffer in a frame, so trailing spaces and the size show in snapshots.
    var framedText: String {
        let edge = "+" + String(repeating: "-", count: size.width) + "+"
        return ([edge] + lines.map { "|" + $0 + "|" } + [edge]).joined(separator: "\n") + "\n"
    }

    /// The style layer: each distinct style gets a letter (in order of first use), then the grid of letters.
    var styleMap: String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rows: [String] = []
        for y in 0..<size.height {
            var row = ""
            for x in 0..<size.width {
                let style = self[x, y]!.style
                if letters[style] == nil {
                    let l = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    letters[style] = l
                    legend.append("\(l) \(style)")
                }
                row.append(letters[style]!)
            }
            rows.append(row)
        }
        return (legend + [""] + rows).joined(separator: "\n") + "\n"
    }
}
