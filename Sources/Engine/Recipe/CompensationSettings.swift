import QuantCore

/// A recipe's `qdec:` section: evaluate dynamic error compensation (QDEC / DecDEC) on top of the quantized
/// layers at the end of the run, at every budget in `kChunks` (channels per 1024 input channels) with
/// every selection method, from thresholds calibrated on `positions` tokens of the calibration windows.
///
/// ```yaml
/// qdec: {k_chunk: [0, 4, 8, 16, 32, 64], selection: [bucket, topk-chunk], positions: 2048}
/// ```
public struct CompensationSettings: Sendable, Equatable, Codable {
    public var kChunks: [Int]
    public var selections: [ChannelSelection]
    /// Calibration tokens (whole windows, at least this many) for the thresholds.
    public var positions: Int

    public static let defaultKChunks = [0, 4, 8, 16, 32, 64]
    public static let defaultPositions = 2048
    public static let defaultSelections: [ChannelSelection] = [.bucket]

    public init(kChunks: [Int] = Self.defaultKChunks, selections: [ChannelSelection] = Self.defaultSelections, positions: Int = Self.defaultPositions) {
        self.kChunks = kChunks
        self.selections = selections
        self.positions = positions
    }

    /// Parses a comma-separated budget list, e.g. `0,4,8,16`: whole numbers in 0…1024, at least one.
    public static func kChunks(_ text: String) -> Result<[Int], RecipeError> {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [Int] = []
        for p in parts {
            guard let k = Int(p), (0...ChannelBudget.chunkSize).contains(k) else {
                return .failure(RecipeError(line: nil, "k_chunk '\(p)' is not a whole number in 0…\(ChannelBudget.chunkSize)"))
            }
            out.append(k)
        }
        return out.isEmpty ? .failure(RecipeError(line: nil, "k_chunk needs at least one budget")) : .success(out)
    }

    /// Parses selection names (`bucket`, `topk-chunk`, `topk`, `static`, `random`).
    public static func selections(_ names: [String]) -> Result<[ChannelSelection], RecipeError> {
        var out: [ChannelSelection] = []
        for n in names {
            guard let s = ChannelSelection(rawValue: n) else {
                return .failure(RecipeError(line: nil, "selection '\(n)' is not one of \(ChannelSelection.names)"))
            }
            out.append(s)
        }
        return out.isEmpty ? .failure(RecipeError(line: nil, "selection needs at least one method")) : .success(out)
    }
}
