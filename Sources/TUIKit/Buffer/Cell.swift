/// One terminal cell: a grapheme cluster and its style. A wide character occupies its cell and the next
/// one, which holds an empty `symbol` (a continuation cell) and is never drawn on its own.
public struct Cell: Sendable, Equatable, Hashable {
    /// The grapheme drawn in this cell; empty for the right half of a wide character.
    public var symbol: String
    public var style: Style

    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { symbol.isEmpty }

    /// A blank cell in `style`.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", style: style) }
}
