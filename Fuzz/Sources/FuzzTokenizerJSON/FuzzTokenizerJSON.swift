import Foundation
import ModelKit

/// Texts each tokenizer that loads encodes and decodes: ASCII, accents, CJK, whitespace runs, digits.
let sampleTexts = ["Hello, world! It's 3.14 — naïve café 東京", "  two\tspaces\n\nand [UNK] <s></s> ▁x ĠHi", ""]

/// One libFuzzer input: the bytes of a `tokenizer.json`. It must either load or throw a `TokenizerError`; a
/// tokenizer that loads must encode and decode the sample texts. A trap or a sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Data(bytes: data, count: size)
    guard let tokenizer = try? Tokenizer(json: json, file: "fuzz-tokenizer.json") else { return 0 }
    for text in sampleTexts {
        let ids = tokenizer.encode(text)
        _ = tokenizer.decode(ids)
        _ = tokenizer.encode(text, addSpecialTokens: true, maxLength: 8)
        for id in ids { _ = tokenizer.token(of: id) }
    }
    return 0
}
