import Foundation

/// How one codebook's codes are used across a layer: a histogram and the numbers read off it
/// (dead codes, usage entropy against the code width, mass of the most used 1% of codes).
public struct CodebookUsage: Sendable, Equatable, Codable {
    /// Codes per codebook entry, `2^bits` counts.
    public var counts: [Int]
    /// Bits per code (the codebook has `2^bits` entries).
    public var bits: Int

    public init(counts: [Int], bits: Int) {
        precondition(counts.count == 1 << bits, "a \(bits)-bit codebook has \(1 << bits) entries")
        self.counts = counts
        self.bits = bits
    }

    /// Counts the codes of one codebook.
    public init<C: Collection>(codes: C, bits: Int) where C.Element: BinaryInteger {
        var counts = [Int](repeating: 0, count: 1 << bits)
        for c in codes { counts[Int(c)] += 1 }
        self.init(counts: counts, bits: bits)
    }

    public var total: Int { counts.reduce(0, +) }

    /// Entries no slot uses.
    public var deadCodes: Int { counts.lazy.filter { $0 == 0 }.count }

    /// Usage entropy `−Σ p log2 p` in bits; at most `bits`.
    public var entropy: Double {
        let n = Double(total)
        guard n > 0 else { return 0 }
        return counts.reduce(0.0) { h, c in c == 0 ? h : h - Double(c) / n * log2(Double(c) / n) }
    }

    /// Share of all slots taken by the most used 1% of entries (at least one entry).
    public var topOnePercentMass: Double {
        let n = total
        guard n > 0 else { return 0 }
        let k = max(1, counts.count / 100)
        return Double(counts.sorted(by: >).prefix(k).reduce(0, +)) / Double(n)
    }
}
