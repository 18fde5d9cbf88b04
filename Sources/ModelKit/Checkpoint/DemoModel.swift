import Foundation

/// Where the demo model (all-MiniLM-L6-v2, installed by `scripts/fetch-demo-model.sh`) lives.
public enum DemoModel {
    /// The folder name of the demo model.
    public static let name = "all-MiniLM-L6-v2"

    /// `$QUANTBENCH_HOME/models/all-MiniLM-L6-v2` if `QUANTBENCH_HOME` is set, else
    /// `$XDG_CACHE_HOME/quantbench/models/all-MiniLM-L6-v2`, else `~/.cache/quantbench/models/all-MiniLM-L6-v2`.
    public static var defaultDirectory: URL {
        directory(environment: ProcessInfo.processInfo.environment,
                  home: FileManager.default.homeDirectoryForCurrentUser)
    }

    /// The same rule over a given environment and home folder; empty variables count as unset.
    static func directory(environment: [String: String], home: URL) -> URL {
        if let root = environment["QUANTBENCH_HOME"], !root.isEmpty {
            return URL(fileURLWithPath: root, isDirectory: true)
                .appendingPathComponent("models", isDirectory: true).appendingPathComponent(name, isDirectory: true)
        }
        let cache: URL
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            cache = home.appendingPathComponent(".cache", isDirectory: true)
        }
        return cache.appendingPathComponent("quantbench/models", isDirectory: true).appendingPathComponent(name, isDirectory: true)
    }
}
