import Foundation

/// A fresh temporary folder for one test, removed when the value is released.
final class CheckpointScratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("modelkit-ckpt-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The URL of `name` inside the folder.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes raw bytes to `name` and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }

    /// Writes UTF-8 text to `name` and returns its URL.
    @discardableResult
    func write(text: String, to name: String) throws -> URL {
        try write(Array(text.utf8), to: name)
    }
}

/// Builds safetensors bytes by hand: an 8-byte little-endian length, the header text, the data.
func rawSafetensors(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    let length = declaredLength ?? UInt64(json.count)
    return withUnsafeBytes(of: length.littleEndian, Array.init) + json + data
}
