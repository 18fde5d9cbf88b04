/// How the uniform integer grid of each row (or group) is chosen.
///
/// ```swift
/// let g = try GridOptions(bits: 3, groupSize: 128)   // asymmetric min-max, one grid per 128 columns
/// ```
public struct GridOptions: Sendable, Equatable, Codable {
    /// Bits per weight, 2…8.
    public var bits: Int
    /// Symmetric grid (zero point fixed at (maxq+1)/2) instead of asymmetric.
    public var symmetric: Bool
    /// Columns per group, or -1 for one grid per row.
    public var groupSize: Int
    /// GPTQ's MSE grid search: shrink the range by 1 − i/100 (i < 80) and keep the best |error|^2.4.
    public var mseSearch: Bool

    public init(bits: Int, symmetric: Bool = false, groupSize: Int = -1, mseSearch: Bool = false) throws {
        guard (2...8).contains(bits) else { throw QuantError.bitsOutOfRange(bits) }
        guard groupSize == -1 || groupSize > 0 else { throw QuantError.invalidGroupSize(groupSize) }
        self.bits = bits
        self.symmetric = symmetric
        self.groupSize = groupSize
        self.mseSearch = mseSearch
    }

    /// The largest integer code, 2^bits − 1.
    public var maxCode: Int { (1 << bits) - 1 }

    /// Number of groups for `columns` input channels.
    public func groupCount(columns: Int) -> Int { groupSize == -1 ? 1 : (columns + groupSize - 1) / groupSize }

    /// Storage cost per weight including the grid (a 16-bit scale and a `bits`-bit zero per row or group).
    public func effectiveBits(columns: Int) -> Double {
        let perGroup = Double(16 + (symmetric ? 0 : bits))
        let width = groupSize == -1 ? Double(columns) : Double(min(groupSize, columns))
        return Double(bits) + perGroup / width
    }
}
