import Foundation
import ModelKit

/// What a run folder was made from, in `provenance.json`: a fingerprint of the recipe (every setting
/// but the output folder) and of the checkpoint its layers were solved on. A run refuses a folder whose
/// fingerprints differ from its own unless it starts over.
///
/// ```json
/// {"recipe": "fnv1a64:9c1d…", "checkpoint": {"directory": "/models/all-MiniLM-L6-v2", "fingerprint": "fnv1a64:41ab…"}}
/// ```
public struct RunProvenance: Sendable, Equatable, Codable {
    /// The file's name in a run folder.
    public static let fileName = "provenance.json"

    /// A checkpoint folder and the fingerprint of its files.
    public struct CheckpointRecord: Sendable, Equatable, Codable {
        public var directory: String
        public var fingerprint: String

        public init(directory: String, fingerprint: String) {
            self.directory = directory
            self.fingerprint = fingerprint
        }
    }

    public var recipe: String
    /// Recorded once the run has opened its checkpoint.
    public var checkpoint: CheckpointRecord?

    public init(recipe: String, checkpoint: CheckpointRecord? = nil) {
        self.recipe = recipe
        self.checkpoint = checkpoint
    }

    /// The fingerprint of a recipe's settings: its canonical YAML without the output folder (which may
    /// come from a flag), so the same experiment written differently matches and an edited one does not.
    public static func fingerprint(of recipe: Recipe) -> String {
        var settings = recipe
        settings.output = nil
        return Fingerprint.of(Data(settings.yaml().utf8))
    }

    /// The fingerprint of a checkpoint folder: `config.json`, every file's name and size, and of each weight
    /// file 16 samples of 4 kB spread over it (64 kB read per file however large, so this stays instant on
    /// large models while catching a swapped, retrained or re-downloaded checkpoint of the same shapes).
    public static func fingerprint(ofCheckpoint directory: URL) throws -> String {
        let fm = FileManager.default
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: directory.path).sorted() } catch {
            throw RunFolderError.io(path: directory.path, reason: "cannot list the checkpoint: \(ErrorWords.describe(error))")
        }
        var text = ""
        for name in names where !name.hasPrefix(".") {
            let size = (try? fm.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? NSNumber)?.intValue ?? -1
            text += "\(name)\t\(size)\n"
        }
        var data = Data(text.utf8)
        for name in names where name.hasSuffix(".safetensors") || name.hasSuffix("." + Checkpoint.ggufExtension) {
            data.append(contentsOf: (try? RegularFile.samples(of: directory.appendingPathComponent(name))) ?? [])
        }
        if let config = try? Data(contentsOf: directory.appendingPathComponent("config.json")) { data.append(config) }
        return Fingerprint.of(data)
    }
}

/// A 64-bit FNV-1a digest as `fnv1a64:<hex>`: a change detector, not a security hash.
enum Fingerprint {
    static func of(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
