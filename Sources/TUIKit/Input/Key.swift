/// A key press, as the backend decodes it.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backspace
    /// Ctrl plus a letter (`ctrl("c")` is Ctrl-C).
    case ctrl(Character)
    case function(Int)

    /// How the key is written in help and hints (`⏎`, `↑`, `Ctrl-C`).
    public func label(_ glyphs: GlyphSet) -> String {
        switch self {
        case let .char(c) where c == " ": return "Space"
        case let .char(c): return String(c)
        case .up: return glyphs.up
        case .down: return glyphs.down
        case .left: return glyphs.unicode ? "←" : "Left"
        case .right: return glyphs.unicode ? "→" : "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return glyphs.enter
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backspace: return "Bksp"
        case let .ctrl(c): return "Ctrl-" + String(c).uppercased()
        case let .function(n): return "F\(n)"
        }
    }
}

/// What the UI loop feeds the app: keys, mouse, and terminal resizes.
public enum Input: Sendable, Equatable {
    case key(Key)
    /// A left click at a cell.
    case click(Point)
    /// A wheel step (up or down) at a cell.
    case wheel(up: Bool, at: Point)
    /// The terminal changed size.
    case resize(Size)
    /// The screen must be drawn whole again: the user pressed Ctrl-L, or the program resumed after Ctrl-Z
    /// (the terminal's contents are unknown then).
    case repaint
}
