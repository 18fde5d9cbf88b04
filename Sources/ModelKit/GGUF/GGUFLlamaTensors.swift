import QuantCore

/// The tensors of a GGUF llama file under the Hugging Face names the Llama forward reads
/// (`blk.3.attn_q.weight` → `model.layers.3.self_attn.q_proj.weight`), dequantized to `Float`.
///
/// llama.cpp's converter reorders the rows of each head of `attn_q` and `attn_k` so that RoPE rotates
/// adjacent pairs (`[x0, x1], [x2, x3], …`) instead of the two halves (`x_i, x_{i+d/2}`) transformers
/// rotates. The rows are put back here, so the forward and every quantized layer see the Hugging Face layout.
/// Tensors with no Hugging Face counterpart keep their GGUF names.
struct GGUFLlamaTensors: TensorSource {
    let file: GGUFFile
    let tensors: [TensorInfo]
    /// GGUF name, and whether llama.cpp reordered the rows, by Hugging Face name.
    private let sources: [String: (gguf: String, permuted: Bool)]
    /// `tensors` by Hugging Face name.
    private let infoByName: [String: TensorInfo]
    private let headDim: Int

    /// GGUF block tensor names and their Hugging Face paths under `model.layers.N.`.
    static let blockNames: [(gguf: String, hf: String)] = [
        ("attn_norm", "input_layernorm"), ("attn_q", "self_attn.q_proj"), ("attn_k", "self_attn.k_proj"),
        ("attn_v", "self_attn.v_proj"), ("attn_output", "self_attn.o_proj"), ("ffn_norm", "post_attention_layernorm"),
        ("ffn_gate", "mlp.gate_proj"), ("ffn_up", "mlp.up_proj"), ("ffn_down", "mlp.down_proj"),
    ]
    /// GGUF top-level tensor names and their Hugging Face names.
    static let topLevelNames: [String: String] = [
        "token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    ]

    init(file: GGUFFile, headDim: Int) {
        self.file = file
        self.headDim = headDim
        var sources: [String: (gguf: String, permuted: Bool)] = [:]
        var tensors: [TensorInfo] = []
        for info in file.tensors {
            let (name, permuted) = Self.huggingFaceName(of: info.name)
            sources[name] = (info.name, permuted)
            tensors.append(TensorInfo(name: name, dtype: .f32, shape: info.shape,
                                      dataOffsets: info.offset..<info.offset + info.byteCount, ggmlType: info.type))
        }
        self.sources = sources
        self.tensors = tensors
        infoByName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The Hugging Face name of a GGUF tensor, and whether llama.cpp reordered its rows (q and k projections).
    static func huggingFaceName(of name: String) -> (String, Bool) {
        if let top = topLevelNames[name] { return (top, false) }
        let parts = name.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "blk", let block = Int(parts[1]),
              let mapped = blockNames.first(where: { $0.gguf == parts[2] }) else { return (name, false) }
        return ("model.layers.\(block).\(mapped.hf).\(parts[3])", ["attn_q", "attn_k"].contains(mapped.gguf))
    }

    func contains(_ name: String) -> Bool { sources[name] != nil }

    func info(_ name: String) throws -> TensorInfo {
        guard let info = infoByName[name] else { throw GGUFError.tensorNotFound(file: file.url.path, tensor: name) }
        return info
    }

    func floats(_ name: String) throws -> [Float] {
        let source = try lookup(name)
        let stored = try file.floats(source.gguf)
        guard source.permuted else { return stored }
        let rows = try file.info(source.gguf).shape[0], width = stored.count / rows
        var out = [Float](repeating: 0, count: stored.count)
        for row in 0..<rows {
            let from = storedRow(row) * width
            out.replaceSubrange(row * width..<(row + 1) * width, with: stored[from..<from + width])
        }
        return out
    }

    func floats(_ name: String, rows: Range<Int>) throws -> [Float] {
        let source = try lookup(name)
        guard source.permuted else { return try file.floats(source.gguf, rows: rows) }
        let rows = rows.clamped(to: 0..<(try file.info(source.gguf).shape[0]))
        return try rows.flatMap { row in try file.floats(source.gguf, rows: storedRow(row)..<storedRow(row) + 1) }
    }

    func matrix(_ name: String) throws -> Matrix<Float> {
        let shape = try info(name).shape
        guard shape.count == 2 else { throw GGUFError.invalidTensorInfo(file: file.url.path, tensor: name, reason: "not a matrix: shape \(shape)") }
        return Matrix(rows: shape[0], cols: shape[1], storage: try floats(name))
    }

    func doubleMatrix(_ name: String) throws -> Matrix<Double> {
        let m = try matrix(name)
        return Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map(Double.init))
    }

    /// The GGUF name of a tensor and, for the reordered q/k projections, the stored row of each Hugging Face row.
    func storage(of name: String) -> (tensor: String, storedRow: (@Sendable (Int) -> Int)?)? {
        guard let source = sources[name] else { return nil }
        guard source.permuted else { return (source.gguf, nil) }
        let headDim = headDim
        let reorder: @Sendable (Int) -> Int = { row in Self.storedRow(row, headDim: headDim) }
        return (source.gguf, reorder)
    }

    private func lookup(_ name: String) throws -> (gguf: String, permuted: Bool) {
        guard let source = sources[name] else { throw GGUFError.tensorNotFound(file: file.url.path, tensor: name) }
        return source
    }

    /// The stored row of Hugging Face row `row`: within each head, HF keeps the first and second halves of the
    /// rotated pairs apart (`h · d/2 + i`), GGUF interleaves them (`2i + h`).
    private func storedRow(_ row: Int) -> Int { Self.storedRow(row, headDim: headDim) }

    private static func storedRow(_ row: Int, headDim: Int) -> Int {
        let head = row / headDim, within = row % headDim, half = headDim / 2
        return head * headDim + 2 * (within % half) + within / half
    }
}
