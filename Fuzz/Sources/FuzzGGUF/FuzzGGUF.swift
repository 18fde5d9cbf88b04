import ModelKit

/// One libFuzzer input: the bytes of a whole GGUF file. The header, the key/values and the tensor infos must
/// either parse or throw a `GGUFError`; when they parse, building a tokenizer from the `tokenizer.ggml.*`
/// metadata must either work or throw. A trap or a sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = try? GGUFFile.parseHeader(bytes, file: "fuzz.gguf") else { return 0 }
    // What `GGUFFile` and its readers do next with a valid header.
    let metadata = Dictionary(uniqueKeysWithValues: header.entries.map { ($0.key, $0.value) })
    _ = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    for (_, value) in header.entries {
        _ = (value.type.name, value.summary, value.int, value.double, value.string, value.bool, value.strings, value.ints)
    }
    for tensor in header.tensors {
        guard tensor.offset + tensor.byteCount <= size else { fatalError("tensor '\(tensor.name)' ends past the file") }
        _ = (tensor.shape, tensor.elementCount)
    }
    guard metadata["tokenizer.ggml.model"] != nil,
          let tokenizer = try? Tokenizer(ggufMetadata: metadata, file: "fuzz.gguf") else { return 0 }
    let ids = tokenizer.encode("Hello, world! naïve café — 東京 <|im_start|>\n  x86_64")
    _ = tokenizer.decode(ids, skipSpecialTokens: false)
    return 0
}
