import Foundation
import ModelKit
import QuantCore

/// `--format gguf`: the run's layers written into a copy of the GGUF file the run was made on, as Q4_0/Q4_1/
/// Q5_0/Q5_1/Q8_0 blocks of its own codes and scales (every other tensor, the metadata and the tokenizer copied
/// as they are). A layer must have groups of a multiple of 32 columns in column order, or one grid per row; K-quants
/// would re-quantize the scales and are never used.
struct GGUFExport {
    let checkpoint: Checkpoint
    let source: GGUFFile

    init(checkpoint: Checkpoint) throws {
        guard let source = checkpoint.gguf else {
            throw ExportRefusal(.gguf, "\(checkpoint.location) is a Hugging Face folder, and a GGUF of it needs llama.cpp's converter "
                                + "(its metadata and tokenizer mapping)",
                                instead: "export --format dense and convert that with convert_hf_to_gguf.py, or quantize the GGUF model itself")
        }
        self.checkpoint = checkpoint
        self.source = source
    }

    /// The block type a layer's grid maps onto exactly.
    static func type(of e: ExportLayer) throws(ExportRefusal) -> GGMLType {
        guard let grid = e.grid else {
            throw ExportRefusal(.gguf, layer: e.linear.name, "GGUF has no additive-codebook type", instead: "use --format aqlm")
        }
        guard !grid.actOrder, grid.groupSize == -1 || grid.groupSize % GGMLBlockEncoding.blockSize == 0, grid.integerZeros,
              e.layer.cols % GGMLBlockEncoding.blockSize == 0 else {
            throw ExportRefusal(.gguf, layer: e.linear.name, "GGUF blocks hold 32 consecutive columns of one grid: groups must be "
                                + "a multiple of 32 columns in column order (or one grid per row)",
                                instead: "use --format gptq (any group size, act order)")
        }
        let candidates = GGMLBlockEncoding.types.filter { GGMLBlockEncoding.bits($0) == grid.bits }
        let symmetric = candidates.first { t in GGMLBlockEncoding.zeroCode(t).map { z in e.layer.grid.zeros.allSatisfy { $0 == Float(z) } } ?? false }
        if let symmetric { return symmetric }
        if let offset = candidates.first(where: { GGMLBlockEncoding.zeroCode($0) == nil }) { return offset }
        throw ExportRefusal(.gguf, layer: e.linear.name, "\(grid.bits)-bit \(candidates.isEmpty ? "codes have no GGUF block type" : "asymmetric codes have no GGUF block type")",
                            instead: grid.bits == 8 ? "quantize with --sym (Q8_0) or use --format gptq" : "use --format gptq or dense")
    }

    /// Writes the file; returns the bytes of tensor data.
    /// `tensors` replace the file's norms and biases (by the checkpoint's tensor names), written F32.
    func write(quantized: [ExportLayer], dense: [ExportLayer], tensors: [String: [Float]], to out: URL, replace: Bool,
               progress: (Int, Int) -> Void) throws -> Int {
        if FileManager.default.fileExists(atPath: out.path), !replace { throw ExportFailure.exists(path: out.path) }
        var replaced: [String: (type: GGMLType, bytes: () throws -> [UInt8])] = [:]
        for e in quantized {
            let type = try Self.type(of: e)
            try FP16Scales.check(e.layer.grid.scales, format: .gguf, layer: e.linear.name)
            guard let storage = checkpoint.ggufStorage(of: e.linear.tensorName) else {
                throw ExportFailure.mismatch("\(e.linear.tensorName) has no tensor in \(source.url.path)")
            }
            replaced[storage.tensor] = (type, { try Self.blocks(e, type: type, storedRow: storage.storedRow) })
        }
        for e in dense {
            guard let storage = checkpoint.ggufStorage(of: e.linear.tensorName) else {
                throw ExportFailure.mismatch("\(e.linear.tensorName) has no tensor in \(source.url.path)")
            }
            replaced[storage.tensor] = (.f32, {
                let w = Self.stored(e.layer.dequantized().storage, rows: e.layer.rows, storedRow: storage.storedRow)
                return w.withUnsafeBytes { Array($0) }
            })
        }
        for (name, values) in tensors {
            guard let storage = checkpoint.ggufStorage(of: name) else {
                throw ExportFailure.mismatch("\(name) has no tensor in \(source.url.path)")
            }
            replaced[storage.tensor] = (.f32, { Self.stored(values, rows: values.count, storedRow: storage.storedRow).withUnsafeBytes { Array($0) } })
        }
        var writer = GGUFWriter()
        for (key, value) in source.entries { try writer.add(key, value) }
        var bytes = 0
        for info in source.tensors {
            if let r = replaced[info.name] {
                try writer.addTensor(info.name, dimensions: info.dimensions, type: r.type, bytes: r.bytes)
                bytes += info.elementCount / r.type.blockSize * r.type.typeSize
            } else {
                let file = source
                try writer.addTensor(info.name, dimensions: info.dimensions, type: info.type, bytes: { try file.bytes(info.name) })
                bytes += info.byteCount
            }
        }
        try writer.write(to: out, progress: progress)
        return bytes
    }

    /// The layer's rows in the file's order (llama.cpp reorders the q/k rows within each head).
    static func stored<T>(_ rowsMajor: [T], rows: Int, storedRow: ((Int) -> Int)?) -> [T] {
        guard let storedRow else { return rowsMajor }
        let width = rowsMajor.count / rows
        var out = rowsMajor
        for r in 0..<rows { out.replaceSubrange(storedRow(r) * width..<(storedRow(r) + 1) * width, with: rowsMajor[r * width..<(r + 1) * width]) }
        return out
    }

    /// The blocks of a grid layer: d = scale, and for the offset types m = −scale·zero, per 32 columns.
    static func blocks(_ e: ExportLayer, type: GGMLType, storedRow: ((Int) -> Int)?) throws -> [UInt8] {
        let grid = e.layer.grid, rows = e.layer.rows, cols = e.layer.cols
        let perRow = cols / GGMLBlockEncoding.blockSize
        var d = [Float](), m = [Float]()
        d.reserveCapacity(rows * perRow)
        for r in 0..<rows {
            for j in 0..<perRow {
                let g = Int(grid.groupIndex[j * GGMLBlockEncoding.blockSize]) * rows + r
                d.append(grid.scales[g])
                if GGMLBlockEncoding.zeroCode(type) == nil { m.append(-grid.scales[g] * grid.zeros[g]) }
            }
        }
        return try GGMLBlockEncoding.encode(type, codes: stored(e.layer.codes, rows: rows, storedRow: storedRow), rows: rows, columns: cols,
                                            d: stored(d, rows: rows, storedRow: storedRow), m: m.isEmpty ? [] : stored(m, rows: rows, storedRow: storedRow))
    }
}
