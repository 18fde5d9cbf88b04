import Foundation

/// The `weight_map` of a `model.safetensors.index.json`: tensor name → shard file name.
///
/// Only `weight_map` is read; `metadata` (`total_size`, `total_parameters`, extras) varies by writer.
struct ShardIndex {
    let weightMap: [String: String]

    /// The distinct shard file names, sorted.
    var shardNames: [String] { Set(weightMap.values).sorted() }

    init(url: URL) throws(CheckpointError) {
        let bytes: [UInt8]
        do { bytes = try RegularFile.contents(of: url) } catch { throw .invalidIndex(file: url.path, reason: "cannot read: \(error.reason)") }
        let json: StrictJSON
        do {
            json = try StrictJSONParser.parse(bytes)
        } catch {
            throw .invalidIndex(file: url.path, reason: "invalid JSON at byte \(error.offset): \(error.reason)")
        }
        guard case let .object(members)? = json["weight_map"] else {
            throw .invalidIndex(file: url.path, reason: "no 'weight_map' object")
        }
        var map: [String: String] = [:]
        for (tensor, value) in members {
            guard case let .string(shard) = value, !shard.isEmpty else {
                throw .invalidIndex(file: url.path, reason: "the shard of '\(tensor)' is not a file name")
            }
            // Shards live in the model folder: a path (`../x`, `/x`, `a/b`) would read files outside it.
            guard !shard.contains("/"), !shard.contains("\\"), shard != ".", shard != ".." else {
                throw .invalidIndex(file: url.path, reason: "the shard '\(shard)' of '\(tensor)' is a path, not a file name in the model folder")
            }
            guard map.updateValue(shard, forKey: tensor) == nil else {
                throw .invalidIndex(file: url.path, reason: "tensor '\(tensor)' is listed twice")
            }
        }
        weightMap = map
    }
}
