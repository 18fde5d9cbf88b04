/// Exact top-k by magnitude: the `count` indices in `range` with the largest |x|, larger first, ties to the
/// lower index. Keeps a sorted list of `count` entries, so small k over a long range stays linear.
enum LargestMagnitudes {
    static func indices(_ x: UnsafeBufferPointer<Float>, in range: Range<Int>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var kept: [(value: Float, index: Int)] = []
        kept.reserveCapacity(count + 1)
        for i in range {
            let v = abs(x[i])
            guard v.isFinite else { continue }
            if kept.count == count, v <= kept[count - 1].value { continue }
            var at = kept.count
            while at > 0, kept[at - 1].value < v { at -= 1 }
            kept.insert((v, i), at: at)
            if kept.count > count { kept.removeLast() }
        }
        return kept.map(\.index)
    }
}
