import Engine
import Foundation
import TUIKit

/// Finds the shipped folders (Themes, Experiments) in the working directory or beside the executable,
/// and the user's themes.
public enum Resources {
    /// The first `name` folder found: the working directory's, then the install's and the build tree's.
    public static func folder(_ name: String) -> URL? {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name)
        return ([cwd] + shippedCandidates(name)).first { FileManager.default.fileExists(atPath: $0.path) }?.standardizedFileURL
    }

    /// Where an installed or built executable keeps its `name` folder.
    private static func shippedCandidates(_ name: String) -> [URL] {
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        return ["../share/quantbench/\(name)", "../../\(name)", "../../../\(name)"].map { exe.appendingPathComponent($0) }
    }

    /// The folders themes come from, later ones adding to (and replacing same-named) earlier ones: the shipped
    /// themes, the user's (`$XDG_CONFIG_HOME/quantbench/themes`, else `~/.config/quantbench/themes`), and a
    /// `Themes` folder in the working directory.
    public static func themeFolders() -> [URL] {
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        let shipped = shippedCandidates("Themes").first { FileManager.default.fileExists(atPath: $0.path) }
        let folders = [shipped, config.appendingPathComponent("quantbench/themes"),
                       URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes")]
        var seen = Set<String>()
        return folders.compactMap { $0?.standardizedFileURL }
            .filter { FileManager.default.fileExists(atPath: $0.path) && seen.insert($0.resolvingSymlinksInPath().path).inserted }
    }

    /// Every theme found, `preferred` first (the built-in default when no folder has any). Throws when
    /// `preferred` is not among them, naming the ones there are and any theme file that failed to load.
    public static func themes(preferred: String, folders: [URL] = themeFolders(), log: FileLog) throws -> [Theme] {
        var byName: [String: Theme] = [:], order: [String] = [], errors: [ThemeError] = []
        for folder in folders {
            let (found, faults) = ThemeParser.loadFolder(folder)
            errors += faults
            for theme in found {
                if byName[theme.name] == nil { order.append(theme.name) }
                byName[theme.name] = theme
            }
        }
        errors.forEach { log.write("theme: \($0)") }
        if byName.isEmpty { byName[Theme.defaultDark.name] = .defaultDark; order = [Theme.defaultDark.name] }
        guard let chosen = byName[preferred] else {
            let broken = errors.filter { URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == preferred }
            throw ThemeNotFound(name: preferred, available: order.sorted(), faults: broken)
        }
        return [chosen] + order.filter { $0 != preferred }.compactMap { byName[$0] }
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

/// `--theme NAME` names no theme that loads.
public struct ThemeNotFound: Error, Equatable, CustomStringConvertible {
    public let name: String
    public let available: [String]
    /// The load errors of a theme file of that name, when one exists but is broken.
    public let faults: [ThemeError]

    public var description: String {
        if !faults.isEmpty { return "theme '\(name)' does not load: " + faults.map(\.description).joined(separator: "; ") }
        return "no theme named '\(name)' (there are \(available.joined(separator: ", ")); user themes go in "
            + "$XDG_CONFIG_HOME/quantbench/themes)"
    }
}
