import QuantCore

/// The checkpoint tensors a forward pass reads, by full name, each checked once up front (present,
/// floating point, the expected shape), so a later lazy load fails only when the file itself changed
/// (`ForwardError.unreadableTensor`).
struct TensorStore: Sendable {
    let checkpoint: Checkpoint
    /// The detected name prefix of the architecture (`model.`, `bert.`, ...).
    let prefix: String
    private var directory: String { checkpoint.location }

    init(checkpoint: Checkpoint) {
        self.checkpoint = checkpoint
        prefix = checkpoint.layout.prefix
    }

    /// The stored name of `path` under the prefix; legacy `LayerNorm.gamma`/`.beta` stand for `.weight`/`.bias`.
    func name(_ path: String, prefixed: Bool = true) -> String {
        let full = prefixed ? prefix + path : path
        guard !checkpoint.contains(full), full.contains("LayerNorm.") else { return full }
        let legacy = full.hasSuffix(".weight") ? String(full.dropLast(6)) + "gamma"
            : full.hasSuffix(".bias") ? String(full.dropLast(4)) + "beta" : full
        return checkpoint.contains(legacy) ? legacy : full
    }

    /// Throws unless `name` exists, is floating point and has `shape`.
    func require(_ name: String, shape: [Int]) throws(ForwardError) {
        guard checkpoint.contains(name), let info = try? checkpoint.info(name) else {
            throw .missingTensor(directory: directory, tensor: name)
        }
        guard [.f16, .bf16, .f32, .f64].contains(info.dtype) else {
            throw .notFloatingPoint(directory: directory, tensor: name, dtype: info.dtype)
        }
        guard info.shape == shape else {
            throw .unexpectedShape(directory: directory, tensor: name, expected: shape, actual: info.shape)
        }
    }

    /// A tensor checked by `require`, widened to `Float`.
    func vector(_ name: String) throws(ForwardError) -> [Float] {
        try finite(name, try load(name) { try checkpoint.floats(name) })
    }

    /// A 2-D tensor checked by `require`, in the stored orientation.
    func matrix(_ name: String) throws(ForwardError) -> Matrix<Float> {
        let matrix = try load(name) { try checkpoint.matrix(name) }
        _ = try finite(name, matrix.storage)
        return matrix
    }

    /// Rows of a 2-D tensor checked by `require` (clamped to the table).
    func rows(_ name: String, _ rows: Range<Int>) throws(ForwardError) -> [Float] {
        try finite(name, try load(name) { try checkpoint.floats(name, rows: rows) })
    }

    /// `values`, unless one is NaN or infinite: a forward pass on it would only spread the fault unnamed.
    private func finite(_ name: String, _ values: [Float]) throws(ForwardError) -> [Float] {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return values }
        throw .nonFiniteTensor(directory: directory, tensor: name, count: values.count { !$0.isFinite }, firstIndex: index)
    }

    /// The rows `indices` (each inside the table: callers validate ids first) of a `[n, width]` table.
    func gather(_ name: String, _ indices: [Int], width: Int) throws(ForwardError) -> Matrix<Float> {
        var out = Matrix<Float>(rows: indices.count, cols: width)
        for (r, index) in indices.enumerated() {
            let row = try rows(name, index..<index + 1)
            out.storage.replaceSubrange(r * width..<(r + 1) * width, with: row)
        }
        return out
    }

    /// Loads a tensor that `require` accepted: only a file changed since then makes this fail.
    private func load<T>(_ name: String, _ load: () throws -> T) throws(ForwardError) -> T {
        do { return try load() } catch {
            throw .unreadableTensor(directory: directory, tensor: name, reason: "\(error)")
        }
    }
}
