/// How many input channels a layer fetches per position: `kChunk` per 1024-channel chunk, a partial last
/// chunk proportionally fewer (`kChunk · length / 1024`, rounded down, as DecDEC's kernel does).
public struct ChannelBudget: Sendable, Equatable {
    /// Channels per chunk.
    public static let chunkSize = 1024

    /// Input channels of the layer.
    public let channels: Int
    /// Channels fetched per full chunk.
    public let kChunk: Int

    public init(channels: Int, kChunk: Int) {
        precondition(channels > 0 && kChunk >= 0, "a budget needs channels > 0 and kChunk ≥ 0")
        self.channels = channels
        self.kChunk = Swift.min(kChunk, Self.chunkSize)
    }

    /// The channel ranges of the chunks.
    public var chunks: [Range<Int>] {
        stride(from: 0, to: channels, by: Self.chunkSize).map { $0..<Swift.min(channels, $0 + Self.chunkSize) }
    }

    /// Channels fetched from a chunk of `length` channels.
    public func count(chunkLength length: Int) -> Int { kChunk * length / Self.chunkSize }

    /// Channels fetched from the whole layer (`kChunk · channels / 1024`, DecDEC's `k`), used for the exact
    /// global top-k, the static and random baselines and the bucket edges.
    public var total: Int { kChunk * channels / Self.chunkSize }

    /// The share of the layer's channels fetched per position.
    public var fetchedFraction: Double { Double(total) / Double(channels) }
}
