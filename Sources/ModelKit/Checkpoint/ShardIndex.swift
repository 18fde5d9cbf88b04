import Foundation

/// The `weight_map` of a `model.safetensors.index.json`: tensor name → shard file name.
///
/// Only `weight_map` is read; `metadata` (`total_size`, `total_parameters`, extras) varies by writer.
struct ShardIndex {
    let weightMap: [String: String]

    /// The distinct shard file names, sorted.
    var shardNames: [String] { Set(weightMap.values).sorted() }

    init(url: URL) throws(CheckpointError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .invalidIndex(file: url.path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        let json: StrictJSON
        do {
            json = try StrictJSONParser.parse(Array(data))
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
            guard map.updateValue(shard, forKey: tensor) == nil else {
                throw .invalidIndex(file: url.path, reason: "tensor '\(tensor)' is listed twice")
            }
        }
        weightMap = map
    }
}
