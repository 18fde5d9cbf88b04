/// A theme resolved for one terminal: colours mapped to its depth, plus the glyph set. Widgets take
/// their styles from here. On a monochrome terminal, selection and the status bar use reverse video.
///
/// ```swift
/// let palette = Palette(theme: .defaultDark, depth: .palette256, glyphs: .unicode)
/// buffer.put("rel_err", at: p, style: palette.style(.title).with(.bold))
/// ```
public struct Palette: Sendable, Equatable {
    public let theme: Theme
    public let depth: ColorDepth
    public let glyphs: GlyphSet
    private let resolved: [ThemeKey: Color]

    public init(theme: Theme, depth: ColorDepth, glyphs: GlyphSet) {
        self.theme = theme
        self.depth = depth
        self.glyphs = glyphs
        resolved = theme.colors.mapValues { $0.mapped(to: depth) }
    }

    public subscript(key: ThemeKey) -> Color { resolved[key] ?? .terminalDefault }

    /// Text in colour `key` on the main background.
    public func style(_ key: ThemeKey) -> Style { Style(fg: self[key], bg: self[.mainBg]) }

    /// The main text style.
    public var main: Style { style(.mainFg) }

    /// A selected row. Reverse video when the theme's selection colour is lost at this depth (no
    /// colour, or a dark tint that maps to black on 8 colours).
    public var selected: Style {
        indistinct(.selectedBg) ? Style(attributes: [.reverse, .bold]) : Style(fg: self[.selectedFg], bg: self[.selectedBg], attributes: [.bold])
    }

    /// The header and status bars, in reverse video under the same condition as `selected`.
    public var status: Style {
        indistinct(.statusBg) ? Style(attributes: [.reverse]) : Style(fg: self[.statusFg], bg: self[.statusBg])
    }

    private func indistinct(_ background: ThemeKey) -> Bool {
        let bg = self[background], main = self[.mainBg]
        return depth == .mono || bg == main || (main == .terminalDefault && bg == .indexed(0))
    }

    /// `steps` colours of a gradient, mapped to the depth.
    public func gradient(_ key: GradientKey, steps: Int) -> [Color] {
        theme.gradient(key, steps: steps).map { $0.mapped(to: depth) }
    }
}
