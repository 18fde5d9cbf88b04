import Foundation
import QuantCore
import Yams

/// A YAML mapping with its allowed keys checked, and typed getters that name the line of a bad value.
struct Fields {
    let section: String
    let line: Int?
    private let entries: [String: Node]

    init(_ node: Node, allowed: Set<String>, section: String, line: Int? = nil) throws {
        guard let mapping = node.mapping else {
            throw RecipeError(line: node.mark?.line ?? line, "\(section) must be a mapping of keys to values")
        }
        var entries: [String: Node] = [:]
        for (k, v) in mapping {
            guard let key = k.scalar?.string else { throw RecipeError(line: k.mark?.line, "\(section): keys must be plain words") }
            guard allowed.contains(key) else {
                throw RecipeError(line: k.mark?.line, "unknown key '\(key)' in \(section) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard entries[key] == nil else { throw RecipeError(line: k.mark?.line, "\(section): '\(key)' is given twice") }
            entries[key] = v
        }
        self.section = section
        self.line = node.mark?.line ?? line
        self.entries = entries
    }

    func node(_ key: String) -> Node? { entries[key] }
    /// The keys given, sorted.
    var keys: [String] { entries.keys.sorted() }
    func line(_ key: String) -> Int? { entries[key]?.mark?.line ?? line }

    func section(_ key: String, allowed: Set<String>) throws -> Fields? {
        try entries[key].map { try Fields($0, allowed: allowed, section: key) }
    }

    func string(_ key: String) throws -> String? {
        guard let n = entries[key] else { return nil }
        guard let s = n.scalar?.string else { throw bad(key, "must be a single value") }
        return s
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let s = try string(key) else { return nil }
        guard let v = Int(s) else { throw bad(key, "'\(s)' is not a whole number") }
        guard range.contains(v) else { throw bad(key, "\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    func double(_ key: String) throws -> Double? {
        guard let s = try string(key) else { return nil }
        guard let v = Double(s), v.isFinite else { throw bad(key, "'\(s)' is not a number") }
        return v
    }

    func bool(_ key: String) throws -> Bool? {
        guard let s = try string(key) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw bad(key, "'\(s)' is not true or false")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        guard let n = entries[key] else { return nil }
        if let s = n.scalar?.string { return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let seq = n.sequence else { throw bad(key, "must be a list") }
        return try seq.map {
            guard let s = $0.scalar?.string else { throw RecipeError(line: $0.mark?.line, "\(section).\(key): every item must be a single value") }
            return s
        }
    }

    /// `3`, `0-5` or `2..4` (inclusive).
    func blockRange(_ key: String) throws -> ClosedRange<Int>? {
        guard let s = try string(key) else { return nil }
        guard let range = Recipe.blockRange(s) else { throw bad(key, "'\(s)' is not a block or a range like 0-5") }
        return range
    }

    private func bad(_ key: String, _ why: String) -> RecipeError {
        RecipeError(line: line(key), "\(section).\(key): \(why)")
    }
}
