/// How one side of a split is sized.
public enum Extent: Sendable, Equatable {
    /// Exactly this many cells (less when the space runs out).
    case fixed(Int)
    /// A share of what the fixed parts leave, by weight.
    case fill(Int)
}

extension Rect {
    /// Splits the rectangle top to bottom.
    ///
    /// ```swift
    /// let parts = screen.splitRows([.fixed(1), .fill(1), .fixed(1)])   // header, body, status bar
    /// ```
    public func splitRows(_ extents: [Extent]) -> [Rect] {
        Self.lengths(height, extents).reduce(into: (y, [Rect]())) { acc, h in
            acc.1.append(Rect(x: x, y: acc.0, width: width, height: h))
            acc.0 += h
        }.1
    }

    /// Splits the rectangle left to right.
    public func splitColumns(_ extents: [Extent]) -> [Rect] {
        Self.lengths(width, extents).reduce(into: (x, [Rect]())) { acc, w in
            acc.1.append(Rect(x: acc.0, y: y, width: w, height: height))
            acc.0 += w
        }.1
    }

    static func lengths(_ total: Int, _ extents: [Extent]) -> [Int] {
        var remaining = max(0, total)
        var out = extents.map { e -> Int in
            guard case let .fixed(n) = e else { return 0 }
            let v = min(max(0, n), remaining)
            remaining -= v
            return v
        }
        let weights = extents.map { if case let .fill(w) = $0 { return max(0, w) } else { return 0 } }
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return out }
        var given = 0
        var lastFill = 0
        for (i, w) in weights.enumerated() where w > 0 {
            out[i] = remaining * w / sum
            given += out[i]
            lastFill = i
        }
        out[lastFill] += remaining - given
        return out
    }
}
