import Foundation

/// Golden-text snapshots of screens: compares a rendering with its committed file, or records it.
/// Test targets wrap `check` in an assertion that reports the returned message.
public enum SnapshotFile {
    /// What happened to one snapshot.
    public enum Outcome: Equatable, Sendable {
        case matches
        /// The rendering differs; the message names the first differing line.
        case differs(String)
        /// No committed file (or recording was asked for): the rendering was written to `url`.
        case recorded(URL)
        case cannotRecord(String)

        /// What a test should report for snapshot `name`, or nil when it matches.
        public func failure(_ name: String) -> String? {
            switch self {
            case .matches: return nil
            case let .differs(why): return "snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records it); \(why)"
            case .recorded: return "Recorded new baseline \(name).txt; run the tests again"
            case let .cannotRecord(why): return why
            }
        }
    }

    /// `check` for the test target whose sources are in `sourceFolder` (snapshots in its `Snapshots/`,
    /// bundled as `bundle`'s `Snapshots` resources); `RECORD_SNAPSHOTS` in the environment records.
    public static func check(_ actual: String, named name: String, bundle: Bundle, sourceFolder: URL) -> Outcome {
        check(actual, bundled: bundle.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots"),
              recordTo: sourceFolder.appendingPathComponent("Snapshots/\(name).txt"),
              record: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil)
    }

    /// Compares `actual` with the bundled copy at `bundled`; with no copy, or with `record`, writes
    /// `actual` to `recordTo` (the file in the source tree).
    public static func check(_ actual: String, bundled: URL?, recordTo: URL, record: Bool) -> Outcome {
        if !record, let bundled, let expected = try? String(contentsOf: bundled, encoding: .utf8) {
            guard expected != actual else { return .matches }
            let lines = { (s: String) in s.split(separator: "\n", omittingEmptySubsequences: false) }
            let first = zip(lines(expected), lines(actual)).enumerated().first { $0.element.0 != $0.element.1 }
            return .differs(first.map { "first difference on line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
                            ?? "line counts differ")
        }
        do {
            try actual.write(to: recordTo, atomically: true, encoding: .utf8)
            return .recorded(recordTo)
        } catch {
            return .cannotRecord("cannot record \(recordTo.path): \(error)")
        }
    }
}

extension CellBuffer {
    /// The text of the buffer in a frame, so trailing spaces and the size show in snapshots.
    public var framedText: String {
        let edge = "+" + String(repeating: "-", count: size.width) + "+"
        return ([edge] + lines.map { "|" + $0 + "|" } + [edge]).joined(separator: "\n") + "\n"
    }

    /// The style layer: each distinct style gets a letter (in order of first use), then the grid of letters.
    public var styleMap: String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rows: [String] = []
        for y in 0..<size.height {
            var row = ""
            for x in 0..<size.width {
                let style = self[x, y]?.style ?? .plain
                if letters[style] == nil {
                    letters[style] = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    legend.append("\(letters[style] ?? "?") \(style)")
                }
                row.append(letters[style] ?? "?")
            }
            rows.append(row)
        }
        return (legend + [""] + rows).joined(separator: "\n") + "\n"
    }
}
