/// DecDEC's approximate per-chunk top-k: 32 magnitude buckets whose floors come from the calibrated
/// thresholds, `a = thresholds[0]` and `b = thresholds[k − 1]` (k the layer's total): 16 floors linear
/// from a down to b, 16 more from b down to 0, the top bucket `[a, ∞)`. Each chunk drops its channels
/// into the buckets (each bucket keeps at most the chunk's budget) and drains them from the top until the
/// budget is filled. Inside a bucket the GPU keeps atomic arrival order; here it is channel order.
public struct BucketSelection: Sendable, Equatable {
    /// Buckets per chunk.
    public static let bucketCount = 32

    /// The lower edge of each bucket, descending; bucket 0 has no upper edge.
    public let floors: [Float]

    /// Buckets for calibrated edges `a ≥ b ≥ 0`.
    public init(a: Float, b: Float) {
        let half = Self.bucketCount / 2
        floors = (0..<Self.bucketCount).map { i in
            i < half ? a + (b - a) * Float(i) / Float(half - 1)
                     : b * Float(Self.bucketCount - i - 1) / Float(Self.bucketCount - half)
        }
    }

    /// Buckets for a layer's calibrated thresholds and budget (nil when the budget fetches nothing).
    public init?(thresholds: ActivationThresholds, budget: ChannelBudget) {
        guard budget.total > 0 else { return nil }
        self.init(a: thresholds.thresholds[0], b: thresholds.thresholds[budget.total - 1])
    }

    /// The bucket of magnitude `m` (nil for NaN, which no bucket holds).
    @inlinable
    public func bucket(of m: Float) -> Int? {
        for (i, f) in floors.enumerated() where m >= f { return i }
        return nil
    }

    /// The chosen channels of `range` in `x`, `count` of them (fewer only when the chunk is shorter).
    public func select(_ x: UnsafeBufferPointer<Float>, in range: Range<Int>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var buckets = [[Int]](repeating: [], count: Self.bucketCount)
        for j in range {
            guard let t = bucket(of: abs(x[j])), buckets[t].count < count else { continue }
            buckets[t].append(j)
        }
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for bucket in buckets {
            chosen += bucket.prefix(count - chosen.count)
            if chosen.count == count { break }
        }
        return chosen
    }
}
