/// A colour as a theme names it: the terminal's own default, a 24-bit value, or an entry of the
/// terminal's palette (0–15 the ANSI colours, 16–255 the xterm cube and greys).
public enum Color: Sendable, Hashable, CustomStringConvertible {
    case terminalDefault
    case rgb(UInt8, UInt8, UInt8)
    case indexed(UInt8)

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case let .rgb(r, g, b): return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        case let .indexed(i): return "@\(i)"
        }
    }

    /// The 16 ANSI colours as xterm draws them, for mapping down to 8 or 16 colours.
    static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of a palette entry (xterm's cube and grey ramp), nil for the default.
    var rgbValue: (UInt8, UInt8, UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case let .rgb(r, g, b): return (r, g, b)
        case let .indexed(i) where i < 16: return Self.ansi[Int(i)]
        case let .indexed(i) where i >= 232:
            let v = UInt8(8 + 10 * (Int(i) - 232))
            return (v, v, v)
        case let .indexed(i):
            let n = Int(i) - 16
            let level = { (k: Int) -> UInt8 in k == 0 ? 0 : UInt8(55 + 40 * k) }
            return (level(n / 36), level(n / 6 % 6), level(n % 6))
        }
    }

    /// The colour a terminal of `depth` can show. Truecolour keeps everything; 256 colours use btop's
    /// `truecolor_to_256` (greys to 232–255, the rest to the 6×6×6 cube); 16 and 8 colours take the
    /// nearest ANSI colour; monochrome keeps only the default.
    public func mapped(to depth: ColorDepth) -> Color {
        switch (depth, self) {
        case (_, .terminalDefault), (.truecolor, _): return self
        case (.mono, _): return .terminalDefault
        case let (.palette256, .indexed(i)): return .indexed(i)
        case let (.palette256, .rgb(r, g, b)): return .indexed(Self.to256(r, g, b))
        case let (.ansi16, .indexed(i)) where i < 16: return .indexed(i)
        case let (.ansi8, .indexed(i)) where i < 8: return .indexed(i)
        case (.ansi16, _), (.ansi8, _):
            guard let (r, g, b) = rgbValue else { return .terminalDefault }
            return .indexed(Self.nearestANSI(r, g, b, count: depth == .ansi16 ? 16 : 8))
        }
    }

    static func to256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        if (ri / 11) == (gi / 11) && (gi / 11) == (bi / 11) {
            return UInt8(min(255, 232 + Int((Double(ri) / 11).rounded())))
        }
        let c = { (v: Int) in Int((Double(v) / 51).rounded()) }
        return UInt8(16 + 36 * c(ri) + 6 * c(gi) + c(bi))
    }

    static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> UInt8 {
        var best = 0, bestD = Int.max
        for (i, c) in ansi.prefix(count).enumerated() {
            let d = [(Int(c.0) - Int(r)), (Int(c.1) - Int(g)), (Int(c.2) - Int(b))].reduce(0) { $0 + $1 * $1 }
            if d < bestD { best = i; bestD = d }
        }
        return UInt8(best)
    }
}

/// How many colours the terminal shows.
public enum ColorDepth: String, Sendable, CaseIterable {
    case truecolor, palette256 = "256", ansi16 = "16", ansi8 = "8", mono

    /// The depth for a curses `COLORS` value (`hasColors` false means monochrome).
    public static func from(colors: Int, hasColors: Bool) -> ColorDepth {
        guard hasColors else { return .mono }
        if colors >= 1 << 24 { return .truecolor }
        if colors >= 256 { return .palette256 }
        if colors >= 16 { return .ansi16 }
        return colors >= 8 ? .ansi8 : .mono
    }
}
