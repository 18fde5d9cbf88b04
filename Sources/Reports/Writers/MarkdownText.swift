/// Escaping of user strings (layer names, model names, messages, the recipe) for Markdown.
enum MarkdownText {
    /// Plain text: Markdown punctuation backslash-escaped (so no raw HTML), line breaks as spaces.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isNewline { out += " "; continue }
            if "\\`*_[]<>|#!~&".contains(c) { out += "\\" }
            out.append(c)
        }
        return out
    }

    /// A code span that survives inside a table cell (pipes escaped; the fence longer than any backtick run).
    static func code(_ s: String) -> String {
        let flat = String(s.map { $0.isNewline ? " " : $0 }).replacingOccurrences(of: "|", with: "\\|")
        let fence = String(repeating: "`", count: longestBacktickRun(flat) + 1)
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + pad + flat + pad + fence
    }

    /// A fenced code block holding `s` verbatim.
    static func block(_ s: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(s) + 1))
        return fence + "\n" + s + (s.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }

    /// A table: a header row, an alignment row (`right` columns right-aligned) and the rows, cells given escaped.
    static func table(_ header: [String], right: Set<Int>, _ rows: [[String]]) -> String {
        let align = header.indices.map { right.contains($0) ? "---:" : "---" }
        return ([header, align] + rows).map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
    }

    private static func longestBacktickRun(_ s: String) -> Int {
        var longest = 0, run = 0
        for c in s {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
