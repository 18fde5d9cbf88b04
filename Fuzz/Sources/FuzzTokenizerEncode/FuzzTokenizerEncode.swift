import Foundation
import ModelKit

/// The tokenizer fixtures of the ModelKit tests: eight `tokenizer.json` files (WordPiece, byte-level BPE,
/// SentencePiece BPE, Metaspace BPE, WordLevel) and four GGUF vocabularies, loaded once.
let tokenizers: [Tokenizer] = {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Tests/ModelKitTests/Fixtures").standardizedFileURL
    let jsonNames = ["bert-wp", "gpt2-bpe", "llama2-sp", "llama3-bpe", "metaspace-bpe", "misc-wp", "opt-bpe", "word-level"]
    let ggufNames = ["botchan-bpe", "botchan-bytes", "botchan-unigram", "gpt2-bpe"]
    do {
        let json = try jsonNames.map {
            try Tokenizer(contentsOf: fixtures.appendingPathComponent("tokenizers/\($0)/tokenizer.json"))
        }
        let gguf = try ggufNames.compactMap { name -> Tokenizer? in
            let file = try GGUFFile(url: fixtures.appendingPathComponent("gguf-tokenizers/\(name).gguf"))
            return try? Tokenizer(gguf: file)
        }
        return json + gguf
    } catch {
        fatalError("cannot load the tokenizer fixtures: \(error)")
    }
}()

/// One libFuzzer input: a selector byte (which tokenizer) and then text, decoded as UTF-8 with repairs.
/// Encoding must never trap, ids must be in the vocabulary, and decoding them must not trap either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerEncode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let tokenizer = tokenizers[Int(data[0]) % tokenizers.count]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let ids = tokenizer.encode(text)
    for id in ids where tokenizer.token(of: id) == nil { fatalError("id \(id) of \(text.debugDescription) has no token") }
    _ = tokenizer.decode(ids)
    _ = tokenizer.decode(tokenizer.encode(text, addSpecialTokens: false), skipSpecialTokens: false)
    _ = tokenizer.encode(text, maxLength: 16)
    return 0
}
