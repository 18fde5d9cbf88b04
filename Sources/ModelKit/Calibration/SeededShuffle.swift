import QuantCore

/// Fisher–Yates with SplitMix64, written out so a seed picks the same order on every Swift version
/// (the standard library's `shuffle(using:)` does not promise its algorithm).
enum SeededShuffle {
    /// `0..<count` in the order the seed gives.
    static func permutation(count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<max(count, 0))
        var rng = SeededGenerator(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, draw(below: i + 1, &rng))
        }
        return order
    }

    /// A uniform integer in `0..<bound` (bound > 0), by the high word of a 64×64-bit product (bias below bound / 2⁶⁴).
    static func draw(below bound: Int, _ rng: inout SeededGenerator) -> Int {
        Int(rng.next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
