/// GPT-2's `bytes_to_unicode` table: every byte gets a printable character, so byte-level tokens are text.
///
/// Bytes 0x21–0x7E, 0xA1–0xAC and 0xAE–0xFF map to themselves; the other 68 map, in increasing order, to
/// U+0100, U+0101, … (space becomes `Ġ`, newline `Ċ`).
enum ByteLevelAlphabet {
    /// The character of each byte.
    static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            let value = printable ? UInt32(byte) : next
            if !printable { next += 1 }
            table[byte] = Unicode.Scalar(value) ?? " "
        }
        return table
    }()

    /// The byte of each character of the table.
    static let bytes: [Unicode.Scalar: UInt8] = {
        var inverse: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in characters.enumerated() { inverse[scalar] = UInt8(byte) }
        return inverse
    }()

    /// The byte-level characters of the UTF-8 encoding of `text`.
    static func encode(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            for byte in String(Character(scalar)).utf8 { out.append(characters[Int(byte)]) }
        }
        return out
    }
}
