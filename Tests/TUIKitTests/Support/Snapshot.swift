import Foundation
import Testing
import TUIKit

/// Compares `actual` with `Snapshots/<name>.txt` (the copy bundled with these tests); a missing file, or
/// `RECORD_SNAPSHOTS=1`, records it beside the sources and fails, as swift-argument-parser's `assertSnapshot` does.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    if let failure = SnapshotFile.check(actual, named: name, bundle: .module, sourceFolder: folder).failure(name) {
        Issue.record("\(failure)", sourceLocation: sourceLocation)
    }
}
