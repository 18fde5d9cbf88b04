import ModelKit
import Foundation

/// Which linear layers a run quantizes: all, those whose name matches a pattern, those in a block range.
///
/// Patterns are globs over display names (`*` any run, `?` one character), e.g. `*.attention.self.*`;
/// several may be given, separated by commas.
public struct LayerSelection: Sendable, Equatable, Codable {
    public var patterns: [String]
    public var blocks: ClosedRange<Int>?

    public init(patterns: [String] = [], blocks: ClosedRange<Int>? = nil) {
        self.patterns = patterns
        self.blocks = blocks
    }

    /// Every linear layer.
    public static let all = LayerSelection()

    /// The selected layers of a model with `blockCount` blocks, in model order. Throws when the block range
    /// reaches past the model's last block or nothing matches: a run of no layers is a mistake, not a result.
    public func layers(of all: [LinearLayer], blockCount: Int) throws(SelectionError) -> [LinearLayer] {
        if let blocks, blocks.upperBound >= blockCount {
            throw SelectionError(message: "blocks \(blocks.lowerBound)-\(blocks.upperBound) reach past the model's last block: "
                                 + "it has \(blockCount) (0-\(blockCount - 1))")
        }
        let selected = all.filter(contains)
        guard !selected.isEmpty else {
            let globs = patterns.isEmpty ? "" : " matching \(patterns.map { "'\($0)'" }.joined(separator: ", "))"
            throw SelectionError(message: "no linear layer\(globs)" + (blocks.map { " in blocks \($0.lowerBound)-\($0.upperBound)" } ?? ""))
        }
        return selected
    }

    public func contains(_ layer: LinearLayer) -> Bool {
        if let blocks, !blocks.contains(layer.block) { return false }
        return patterns.isEmpty || patterns.contains { Self.glob($0, matches: layer.name) }
    }

    /// Shell-style glob match of `*` and `?`.
    package static func glob(_ pattern: String, matches name: String) -> Bool {
        let p = Array(pattern), s = Array(name)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) { pi += 1; si += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// A layer selection that selects nothing of the model at hand, in words.
public struct SelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "layer selection: \(message)" }
}
