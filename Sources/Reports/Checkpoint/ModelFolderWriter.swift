import Foundation
import ModelKit

/// Builds a Hugging Face model folder: the tensors in one `model.safetensors` or in shards with a
/// `model.safetensors.index.json`, a `config.json`, and the source folder's other files (tokenizer, generation
/// config). The folder appears whole or not at all: everything is written into a hidden sibling folder that is
/// renamed into place at the end.
struct ModelFolderWriter {
    private var tensors: [(name: String, shape: [Int], data: TensorData)] = []

    /// Adds a tensor; names must be unique.
    mutating func add(_ name: String, shape: [Int], data: TensorData) throws {
        guard !tensors.contains(where: { $0.name == name }) else { throw ExportFailure.io(path: name, reason: "two tensors of that name") }
        tensors.append((name, shape, data))
    }

    /// The names added so far.
    var names: Set<String> { Set(tensors.map(\.name)) }

    /// Bytes of tensor data in all.
    var totalBytes: Int { tensors.reduce(0) { $0 + $1.data.byteCount } }

    /// Writes the folder to `out`, with the side files of the folder `source` copied and `files` written beside
    /// the weights. `progress` gets (bytes written, total bytes) after each shard.
    func write(to out: URL, config: [String: Any], copyingFrom source: URL?, files: [String: Data] = [:], shardBytes: Int, replace: Bool,
               progress: (Int, Int) -> Void) throws {
        let staging = try StagingFolder(for: out, replace: replace)
        do {
            let shards = plan(shardBytes: shardBytes)
            let total = totalBytes
            var written = 0
            var weightMap: [String: String] = [:]
            for (i, shard) in shards.enumerated() {
                let name = shards.count == 1 ? Checkpoint.singleFileName
                    : String(format: "model-%05d-of-%05d.safetensors", i + 1, shards.count)
                var file = SafetensorsWriter(metadata: ["format": "pt"])
                for t in shard {
                    do { try file.add(t.name, shape: t.shape, data: t.data) } catch { throw ExportFailure.io(path: name, reason: "\(error)") }
                    weightMap[t.name] = name
                    written += t.data.byteCount
                }
                do { try file.write(to: staging.url.appendingPathComponent(name)) } catch {
                    throw ExportFailure.io(path: name, reason: ErrorWords.describe(error))
                }
                progress(written, total)
            }
            if shards.count > 1 {
                try Self.writeJSON(["metadata": ["total_size": total], "weight_map": weightMap],
                                   to: staging.url.appendingPathComponent(Checkpoint.indexFileName))
            }
            try Self.writeJSON(config, to: staging.url.appendingPathComponent("config.json"))
            if let source { try Self.copySideFiles(from: source, to: staging.url) }
            for (name, data) in files {
                let url = staging.url.appendingPathComponent(name)
                do { try AtomicFile.write(data, to: url) } catch { throw ExportFailure.io(path: url.path, reason: ErrorWords.describe(error)) }
            }
            try staging.commit()
        } catch {
            staging.discard()
            throw error
        }
    }

    /// Tensors in name order, cut into shards of at most `shardBytes` (a larger tensor alone in its own).
    private func plan(shardBytes: Int) -> [[(name: String, shape: [Int], data: TensorData)]] {
        var shards: [[(name: String, shape: [Int], data: TensorData)]] = [[]]
        var size = 0
        for t in tensors.sorted(by: { $0.name < $1.name }) {
            if size > 0, size + t.data.byteCount > shardBytes { shards.append([]); size = 0 }
            shards[shards.count - 1].append(t)
            size += t.data.byteCount
        }
        return shards
    }

    /// Pretty-printed JSON with sorted keys, written atomically.
    static func writeJSON(_ object: Any, to url: URL) throws {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try AtomicFile.write(data + Data("\n".utf8), to: url)
        } catch { throw ExportFailure.io(path: url.path, reason: ErrorWords.describe(error)) }
    }

    /// The files of a model folder that are not its weights or its config: tokenizer, generation config, model card.
    private static func copySideFiles(from source: URL, to folder: URL) throws {
        let weights: Set<String> = ["safetensors", "bin", "pt", "pth", "gguf", "h5", "msgpack", "onnx", "ckpt"]
        let skipped: Set<String> = ["config.json", Checkpoint.indexFileName, "pytorch_model.bin.index.json"]
        let entries = (try? FileManager.default.contentsOfDirectory(at: source, includingPropertiesForKeys: [.isRegularFileKey])) ?? []
        for file in entries.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            let name = file.lastPathComponent
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, !name.hasPrefix("."),
                  !skipped.contains(name), !weights.contains(file.pathExtension.lowercased()) else { continue }
            do { try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(name)) } catch {
                throw ExportFailure.io(path: file.path, reason: "cannot copy: \(ErrorWords.describe(error))")
            }
        }
    }
}

/// A hidden folder beside the destination that becomes the destination on `commit`.
struct StagingFolder {
    let url: URL
    let destination: URL
    let replace: Bool

    init(for destination: URL, replace: Bool) throws {
        self.destination = destination
        self.replace = replace
        let fm = FileManager.default
        if fm.fileExists(atPath: destination.path), !replace {
            throw ExportFailure.exists(path: destination.path)
        }
        let parent = destination.deletingLastPathComponent()
        url = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
        do {
            try? fm.removeItem(at: url)
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
        } catch { throw ExportFailure.io(path: url.path, reason: "cannot create: \(ErrorWords.describe(error))") }
    }

    /// Moves the staged folder into place (an existing destination, when replacing, is removed after).
    func commit() throws {
        let fm = FileManager.default
        var old: URL?
        if fm.fileExists(atPath: destination.path) {
            let aside = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).old-\(getpid())")
            do { try fm.moveItem(at: destination, to: aside) } catch {
                throw ExportFailure.io(path: destination.path, reason: "cannot move the old folder aside: \(ErrorWords.describe(error))")
            }
            old = aside
        }
        do { try fm.moveItem(at: url, to: destination) } catch {
            if let old { try? fm.moveItem(at: old, to: destination) }
            throw ExportFailure.io(path: destination.path, reason: "cannot move into place: \(ErrorWords.describe(error))")
        }
        if let old { try? fm.removeItem(at: old) }
    }

    /// Removes what was staged.
    func discard() { try? FileManager.default.removeItem(at: url) }
}
