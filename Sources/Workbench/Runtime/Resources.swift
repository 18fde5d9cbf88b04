import Engine
import Foundation
import TUIKit

/// Finds the shipped folders (Themes, Experiments) in the working directory or beside the executable.
public enum Resources {
    /// The first `name` folder found: the working directory's, then the install's and the build tree's.
    public static func folder(_ name: String) -> URL? {
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name),
                          exe.appendingPathComponent("../share/quantbench/\(name)"), exe.appendingPathComponent("../../\(name)"),
                          exe.appendingPathComponent("../../../\(name)")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.standardizedFileURL
    }

    /// Every theme found, the preferred one first; the built-in default when none are found.
    public static func themes(preferred: String, log: FileLog) -> [Theme] {
        guard let dir = folder("Themes") else { return [.defaultDark] }
        let (themes, errors) = ThemeParser.loadFolder(dir)
        errors.forEach { log.write("theme: \($0)") }
        guard let i = themes.firstIndex(where: { $0.name == preferred }) else {
            log.write("theme \(preferred) not found in \(dir.path)")
            return themes.isEmpty ? [.defaultDark] : themes
        }
        return [themes[i]] + themes.enumerated().filter { $0.offset != i }.map(\.element)
    }

    /// The recipes of Experiments/ for the picker; ones that fail to parse are logged and skipped.
    public static func recipes(log: FileLog) -> [RecipeEntry] {
        guard let dir = folder("Experiments"),
              let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return files.filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { url in
            do {
                let r = try RecipeParser.parse(contentsOf: url)
                let comment = r.text.split(separator: "\n").first { $0.hasPrefix("#") }.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
                return RecipeEntry(name: r.name, description: comment ?? "", method: r.method, compare: r.compare)
            } catch {
                log.write("recipe \(url.lastPathComponent): \(error)")
                return nil
            }
        }
    }
}
