/// How the salient input channels of a position are chosen for error compensation.
public enum ChannelSelection: String, Sendable, Codable, CaseIterable {
    /// DecDEC's 32-bucket approximate top-k per 1024-channel chunk (the deployed kernel).
    case bucket
    /// Exact top-k |x| per 1024-channel chunk.
    case topKChunk = "topk-chunk"
    /// Exact global top-k |x| (DecDEC's `topk` simulation mode).
    case topK = "topk"
    /// A fixed list: the channels with the largest mean |x| over calibration.
    case staticList = "static"
    /// Random channels, drawn anew for every position.
    case random

    /// The names accepted on the command line and in recipes.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Chooses the channels of each position for one layer: a selection method at a budget, with the layer's
/// calibrated thresholds.
///
/// The random baseline seeds its draw from `seed` and the position's values, so the same input always
/// gets the same channels and one selector can serve several tasks.
public struct ChannelSelector: Sendable {
    public let method: ChannelSelection
    public let budget: ChannelBudget
    private let buckets: BucketSelection?
    private let fixed: [Int]
    private let seed: UInt64

    public init(method: ChannelSelection, budget: ChannelBudget, thresholds: ActivationThresholds, seed: UInt64 = 0) {
        precondition(thresholds.channels == budget.channels, "thresholds cover \(thresholds.channels) channels, the layer has \(budget.channels)")
        self.method = method
        self.budget = budget
        buckets = method == .bucket ? BucketSelection(thresholds: thresholds, budget: budget) : nil
        fixed = method == .staticList ? thresholds.staticChannels(count: budget.total).sorted() : []
        self.seed = seed
    }

    /// The channels chosen for one position `x` (`budget.channels` values).
    public func select(_ x: UnsafeBufferPointer<Float>) -> [Int] {
        precondition(x.count == budget.channels)
        guard budget.total > 0 else { return [] }
        switch method {
        case .bucket:
            guard let buckets else { return [] }
            return budget.chunks.flatMap { buckets.select(x, in: $0, count: budget.count(chunkLength: $0.count)) }
        case .topKChunk:
            return budget.chunks.flatMap { LargestMagnitudes.indices(x, in: $0, count: budget.count(chunkLength: $0.count)) }
        case .topK:
            return Self.exactTopK(x, count: budget.total)
        case .staticList:
            return fixed
        case .random:
            var generator = SeededGenerator(seed: seed ^ Self.fingerprint(x))
            var pool = Array(0..<budget.channels)
            for i in 0..<budget.total { pool.swapAt(i, i + Int(generator.next() % UInt64(budget.channels - i))) }
            return Array(pool.prefix(budget.total))
        }
    }

    /// The exact global top-`count` channels by |x| (ties to the lower index).
    public static func exactTopK(_ x: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        LargestMagnitudes.indices(x, in: 0..<x.count, count: count)
    }

    /// FNV-1a over the values' bit patterns.
    private static func fingerprint(_ x: UnsafeBufferPointer<Float>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in x { h = (h ^ UInt64(v.bitPattern)) &* 0x100_0000_01b3 }
        return h
    }
}
