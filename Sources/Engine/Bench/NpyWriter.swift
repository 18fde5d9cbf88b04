import Foundation

/// Writes `.npy` files (format 1.0, little-endian, C order) for the numpy reference script.
enum NpyWriter {
    static func write<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], to url: URL) throws {
        let descr: String
        switch MemoryLayout<T>.size {
        case 4: descr = "<f4"
        case 8: descr = "<f8"
        default: throw CocoaError(.fileWriteUnknown)
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))\(shape.count == 1 ? "," : "")), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let len = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(len & 0xFF), UInt8(len >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * MemoryLayout<T>.size)) }
        try data.write(to: url, options: .atomic)
    }
}
