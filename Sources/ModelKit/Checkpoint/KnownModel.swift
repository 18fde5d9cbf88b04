import Foundation

/// A model the set-up installs into the quantbench model cache, found by a short name wherever a command
/// or a recipe takes a checkpoint (`quantbench tui smollm2`, `model: smollm2`).
///
/// The cache root is `$QUANTBENCH_HOME/models` if `QUANTBENCH_HOME` is set, else
/// `$XDG_CACHE_HOME/quantbench/models`, else `~/.cache/quantbench/models`.
public struct KnownModel: Sendable, Equatable {
    /// The short name (`minilm`, `smollm2`).
    public let name: String
    /// The folder inside the cache, named after the model.
    public let folder: String
    /// The command that installs it.
    public let installCommand: String

    /// The demo encoder, all-MiniLM-L6-v2 (safetensors), the default checkpoint.
    public static let miniLM = KnownModel(name: "minilm", folder: "all-MiniLM-L6-v2", installCommand: "make demo-model")
    /// The demo causal LM, SmolLM2-135M-Instruct (GGUF Q4_1).
    public static let smolLM2 = KnownModel(name: "smollm2", folder: "SmolLM2-135M-Instruct", installCommand: "make demo-lm")
    /// Every known model.
    public static let all = [miniLM, smolLM2]

    /// The model's folder in the cache of this process's environment.
    public var directory: URL {
        directory(environment: ProcessInfo.processInfo.environment, home: FileManager.default.homeDirectoryForCurrentUser)
    }

    /// True when the model's folder holds its weights.
    public var isInstalled: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.contains { $0 == Checkpoint.singleFileName || $0.hasSuffix(".\(Checkpoint.ggufExtension)") }
    }

    /// The same folder under a given environment and home folder; empty variables count as unset.
    func directory(environment: [String: String], home: URL) -> URL {
        let root: URL
        if let base = environment["QUANTBENCH_HOME"], !base.isEmpty {
            root = URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent("models", isDirectory: true)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("quantbench/models", isDirectory: true)
        } else {
            root = home.appendingPathComponent(".cache/quantbench/models", isDirectory: true)
        }
        return root.appendingPathComponent(folder, isDirectory: true)
    }

    /// The known model a command-line or recipe argument names (its short name or folder name, any case).
    public static func named(_ argument: String) -> KnownModel? {
        all.first { $0.name == argument.lowercased() || $0.folder.lowercased() == argument.lowercased() }
    }

    /// Where a checkpoint argument points: a known model's folder, `demo` or nothing for the demo encoder,
    /// otherwise the path as given.
    public static func location(of argument: String?) -> URL {
        guard let argument, argument != "demo" else { return miniLM.directory }
        return named(argument)?.directory ?? URL(fileURLWithPath: argument)
    }

    /// A hint for a missing checkpoint: the install command when the argument names a known model.
    public static func installHint(for argument: String?) -> String {
        let model = argument.map { named($0) } ?? miniLM
        return model.map { " (install it: \($0.installCommand))" } ?? ""
    }
}
