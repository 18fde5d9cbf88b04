/// The `decoder` stage: turns tokens back into text.
indirect enum TokenDecoder: Sendable {
    case byteLevel
    case wordPiece(prefix: String, cleanup: Bool)
    case metaspace(replacement: Unicode.Scalar, prepend: PreTokenizer.PrependScheme)
    case replace(SplitPattern, with: [Unicode.Scalar])
    case byteFallback
    case fuse
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    case sequence([TokenDecoder])

    /// Builds a decoder from its JSON object.
    init(config: ConfigObject) throws {
        let type = try config.type()
        switch type {
        case "ByteLevel": self = .byteLevel
        case "WordPiece":
            self = .wordPiece(prefix: try config.optionalString("prefix") ?? "##",
                              cleanup: try config.bool("cleanup", default: true))
        case "Metaspace":
            guard let replacement = try config.string("replacement").unicodeScalars.first else {
                throw TokenizerError.Fault.invalid(component: "decoder", reason: "empty Metaspace replacement")
            }
            self = .metaspace(replacement: replacement, prepend: try PreTokenizer.prependScheme(config))
        case "Replace":
            self = .replace(try SplitPattern(config: try config.object("pattern")),
                            with: Array(try config.string("content").unicodeScalars))
        case "ByteFallback": self = .byteFallback
        case "Fuse": self = .fuse
        case "Strip":
            guard let content = try config.string("content").unicodeScalars.first else {
                throw TokenizerError.Fault.invalid(component: "decoder", reason: "empty Strip content")
            }
            self = .strip(content: content, start: try config.int("start"), stop: try config.int("stop"))
        case "Sequence": self = .sequence(try config.objects("decoders").map(TokenDecoder.init(config:)))
        default:
            throw TokenizerError.Fault.unsupported(component: "decoder", type: type)
        }
    }

    /// The text of `tokens`.
    func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }

    /// One step of the chain: tokens in, tokens out.
    func decodeChain(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                let mapped = token.unicodeScalars.compactMap { ByteLevelAlphabet.bytes[$0] }
                bytes += mapped.count == token.unicodeScalars.count ? mapped : Array(token.utf8)
            }
            return [String(decoding: bytes, as: UTF8.self)]
        case .wordPiece(let prefix, let cleanup):
            return tokens.enumerated().map { index, token in
                var text = token
                if index > 0 { text = token.hasScalarPrefix(prefix) ? token.droppingScalars(prefix.unicodeScalars.count) : " " + token }
                return cleanup ? TokenDecoder.cleanUp(text) : text
            }
        case .metaspace(let replacement, let prepend):
            return tokens.enumerated().map { index, token in
                let scalars = token.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    guard scalar == replacement else { return scalar }
                    return index == 0 && prepend != .never ? nil : " "
                }
                return scalars.string
            }
        case .replace(let pattern, let content):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                return ScalarText.replace(pattern.matches(in: scalars), with: content, in: scalars).string
            }
        case .byteFallback:
            return TokenDecoder.fuseBytes(tokens)
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                var lower = 0, upper = scalars.count
                while lower < min(start, scalars.count), scalars[lower] == content { lower += 1 }
                while scalars.count - upper < stop, upper > lower, scalars[upper - 1] == content { upper -= 1 }
                return Array(scalars[lower..<upper]).string
            }
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.decodeChain($0) }
        }
    }

    /// The WordPiece decoder's clean-up of spaces before punctuation and contractions.
    private static func cleanUp(_ text: String) -> String {
        let rules: [(String, String)] = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        var scalars = Array(text.unicodeScalars)
        for (pattern, replacement) in rules {
            scalars = ScalarText.replace(Array(pattern.unicodeScalars), with: Array(replacement.unicodeScalars), in: scalars)
        }
        return scalars.string
    }

    /// Runs of `<0xNN>` tokens become the text of their bytes, or one U+FFFD per byte when not valid UTF-8.
    private static func fuseBytes(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                out.append(text)
            } else {
                out.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for token in tokens {
            let utf8 = Array(token.utf8)
            if utf8.count == 6, utf8.starts(with: "<0x".utf8), utf8[5] == UInt8(ascii: ">"),
               let byte = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) {
                pending.append(byte)
            } else {
                flush()
                out.append(token)
            }
        }
        flush()
        return out
    }
}
