import ModelKit

/// Tensors written as plain values: a checkpoint's own tensors copied in their dtype, and dense weights in the
/// dtype of the tensor they replace.
enum PlainTensor {
    /// `values` in the element type of `info` (F32 for a tensor a GGUF file stores quantized).
    static func data(_ values: [Float], like info: TensorInfo) throws -> TensorData {
        if info.ggmlType != nil { return info.ggmlType == .f16 ? .f16(values.map { Float16($0) }) : .f32(values) }
        switch info.dtype {
        case .f32, .f64: return .f32(values)
        case .f16: return .f16(values.map { Float16($0) })
        case .bf16: return .bf16(values)
        default: throw ExportFailure.mismatch("\(info.name) is \(info.dtype.rawValue), not a float tensor a weight can replace")
        }
    }

    /// A copy of the checkpoint's tensor: its bytes for safetensors (every dtype the writer has), its
    /// dequantized values for GGUF.
    static func data(checkpoint: Checkpoint, _ info: TensorInfo) throws -> TensorData {
        guard let raw = try checkpoint.storedBytes(info.name) else { return try data(try checkpoint.floats(info.name), like: info) }
        func values<T>(_: T.Type) -> [T] { raw.withUnsafeBytes { Array($0.bindMemory(to: T.self)) } }
        switch info.dtype {
        case .f64: return .f64(values(Double.self))
        case .f32: return .f32(values(Float.self))
        case .f16: return .f16(values(Float16.self))
        case .bf16: return .bf16(try checkpoint.floats(info.name))
        case .i64: return .i64(values(Int64.self))
        case .i32: return .i32(values(Int32.self))
        case .i16: return .i16(values(Int16.self))
        case .i8: return .i8(values(Int8.self))
        case .u8, .bool: return .u8(raw)
        default: throw ExportFailure.mismatch("\(info.name) is \(info.dtype.rawValue), which the export cannot copy")
        }
    }
}
