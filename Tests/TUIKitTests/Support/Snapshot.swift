import Foundation
import Testing
import TUIKit

/// Compares `actual` with `Snapshots/<name>.txt` (the copy bundled with the tests). A missing file, or
/// `RECORD_SNAPSHOTS=1`, records the snapshot next to this source file and fails with "Recorded new
/// baseline", as swift-argument-parser's `assertSnapshot` does.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots")
    switch SnapshotFile.check(actual, bundled: Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots"),
                              recordTo: folder.appendingPathComponent(name + ".txt"),
                              record: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil) {
    case .matches: break
    case let .differs(why): Issue.record("snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records it); \(why)", sourceLocation: sourceLocation)
    case .recorded: Issue.record("Recorded new baseline \(name).txt; run the tests again", sourceLocation: sourceLocation)
    case let .cannotRecord(why): Issue.record("\(why)", sourceLocation: sourceLocation)
    }
}
