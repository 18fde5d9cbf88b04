/// A token string that compares and hashes by its exact scalars, as the reference compares bytes.
///
/// Swift's `String` equality treats canonically equivalent strings as equal (`e` + U+0301 == `é`), which
/// would let a decomposed word match a precomposed vocabulary entry the reference never matches.
struct TokenKey: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    init(_ scalars: [Unicode.Scalar]) { string = scalars.string }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool { lhs.string.utf8.elementsEqual(rhs.string.utf8) }

    func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
