import Foundation

/// A fault in a theme file, with its line.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file), line \(line): \(message)" }
}

/// Reads btop's theme format: one `theme[key]="value"` per line, `#` comments. Values are `#RRGGBB`,
/// `#BW` (a grey), `R G B` in decimal, a palette index `0`–`255`, or empty for the terminal's default.
/// Unknown keys are skipped (btop does the same), so btop themes load and keep their matching keys.
///
/// ```swift
/// let theme = try ThemeParser.parse("theme[title]=\"#ffffff\"", name: "mine")
/// ```
public enum ThemeParser {
    public static func parse(_ text: String, name: String) throws -> Theme {
        var colors: [ThemeKey: Color] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                throw ThemeError(file: name, line: n + 1, message: "expected theme[key]=\"value\"")
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
            var rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard rest.hasPrefix("=") else { throw ThemeError(file: name, line: n + 1, message: "expected = after theme[\(key)]") }
            rest = rest.dropFirst().trimmingCharacters(in: .whitespaces)
            guard rest.count >= 2, rest.hasPrefix("\""), rest.hasSuffix("\"") else {
                throw ThemeError(file: name, line: n + 1, message: "the value of \(key) must be in double quotes")
            }
            let value = String(rest.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            guard let k = ThemeKey(rawValue: key) else { continue }
            guard let c = color(value) else {
                throw ThemeError(file: name, line: n + 1, message: "\(key): \"\(value)\" is not #RRGGBB, #BW, \"R G B\" or 0–255")
            }
            colors[k] = c
        }
        return Theme(name: name, colors: colors)
    }

    /// Parses a theme file; the theme is named after the file.
    public static func load(_ url: URL) throws -> Theme {
        let name = url.deletingPathExtension().lastPathComponent
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ThemeError(file: url.lastPathComponent, line: 0, message: "cannot read the theme")
        }
        do { return try parse(text, name: name) } catch var e as ThemeError {
            e.file = url.lastPathComponent
            throw e
        }
    }

    /// Every `*.theme` in a folder, by name; files that fail to parse are reported, not loaded.
    public static func loadFolder(_ folder: URL) -> (themes: [Theme], errors: [ThemeError]) {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        var themes: [Theme] = [], errors: [ThemeError] = []
        for f in files.filter({ $0.pathExtension == "theme" }).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            do { themes.append(try load(f)) } catch let e as ThemeError { errors.append(e) } catch {}
        }
        return (themes, errors)
    }

    static func color(_ v: String) -> Color? {
        if v.isEmpty { return .terminalDefault }
        if v.hasPrefix("#") {
            let hex = v.dropFirst()
            guard hex.allSatisfy(\.isHexDigit) else { return nil }
            if hex.count == 2, let g = UInt8(hex, radix: 16) { return .rgb(g, g, g) }
            guard hex.count == 6, let n = UInt32(hex, radix: 16) else { return nil }
            return .rgb(UInt8(n >> 16), UInt8(n >> 8 & 0xff), UInt8(n & 0xff))
        }
        let parts = v.split(separator: " ")
        if parts.count == 3 {
            let c = parts.compactMap { UInt8($0) }
            return c.count == 3 ? .rgb(c[0], c[1], c[2]) : nil
        }
        if parts.count == 1, let i = UInt8(v) { return .indexed(i) }
        return nil
    }
}
