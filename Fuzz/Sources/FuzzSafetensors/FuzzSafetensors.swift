import ModelKit

/// One libFuzzer input: the bytes of a whole safetensors file. Any input must either parse or throw a
/// `SafetensorsError`; a trap or a sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = try? SafetensorsFile.parseHeader(bytes, fileName: "fuzz.safetensors") else { return 0 }
    // What a reader does next with a valid header: sizes, names, and the data range of every tensor.
    var end = 0
    for tensor in header.tensors {
        guard tensor.dataOffsets.lowerBound == end else { fatalError("tensor data ranges do not tile the buffer") }
        guard tensor.elementCount * tensor.dtype.bitWidth / 8 == tensor.byteCount else {
            fatalError("size mismatch let through")
        }
        end = tensor.dataOffsets.upperBound
        _ = tensor.storedType
    }
    guard 8 + end <= size else { fatalError("a tensor ends past the file") }
    return 0
}
