import CNcursesw
import TUIKit

/// Colour pairs for styles, allocated on first use with `alloc_pair` (ncurses 6 extended pairs), and
/// attributes for the terminal's colour depth.
struct CursesColors {
    let depth: ColorDepth
    private var pairs: [Int64: Int32] = [:]

    init(depth: ColorDepth) { self.depth = depth }

    /// The curses colour number of a colour (−1 is the terminal default, thanks to `use_default_colors`).
    func number(_ color: Color) -> Int32 {
        switch color.mapped(to: depth) {
        case .terminalDefault: return -1
        case let .indexed(i): return Int32(i)
        case let .rgb(r, g, b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    /// The pair for a style's colours (0, the default pair, when there is no colour or no pair left).
    mutating func pair(for style: Style) -> Int32 {
        guard depth != .mono else { return 0 }
        let fg = number(style.fg), bg = number(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return p }
        let p = alloc_pair(fg, bg)
        let result = p < 0 ? 0 : p
        pairs[key] = result
        return result
    }

    /// curses attributes of a style.
    func attributes(_ style: Style) -> attr_t {
        var a = cnc_a_normal()
        if style.attributes.contains(.bold) { a |= cnc_a_bold() }
        if style.attributes.contains(.dim) { a |= cnc_a_dim() }
        if style.attributes.contains(.reverse) { a |= cnc_a_reverse() }
        if style.attributes.contains(.underline) { a |= cnc_a_underline() }
        return a
    }
}
