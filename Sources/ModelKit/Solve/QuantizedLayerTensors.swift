import QuantCore

/// The tensors a solved layer is written as, named as GPTQ checkpoints name them where they overlap.
///
/// `codes` U8 `[out, in]`; `scales`, `zeros` F32 `[groups, out]`; `g_idx` I32 `[in]`; `dequantized` F32
/// `[out, in]` (grid + outliers); with outliers also `outlier_indices` I64 (flat row-major) and
/// `outlier_values` F32. Weight `[r, c]` is `scales[g, r] · (codes[r, c] − zeros[g, r])` with
/// `g = g_idx[c]`, plus the outlier at `r · in + c` if any.
public enum QuantizedLayerTensors {
    public static let codes = "codes"
    public static let scales = "scales"
    public static let zeros = "zeros"
    public static let groupIndex = "g_idx"
    public static let dequantized = "dequantized"
    public static let outlierIndices = "outlier_indices"
    public static let outlierValues = "outlier_values"

    /// Adds the layer's tensors to `writer`.
    public static func add<S: BLASScalar>(_ layer: QuantizedLayer<S>, to writer: inout SafetensorsWriter) throws(SafetensorsError) {
        let groups = layer.grid.groupCount
        try writer.add(codes, shape: [layer.rows, layer.cols], data: .u8(layer.codes))
        try writer.add(scales, shape: [groups, layer.rows], data: .f32(layer.grid.scales.map(Float.init)))
        try writer.add(zeros, shape: [groups, layer.rows], data: .f32(layer.grid.zeros.map(Float.init)))
        try writer.add(groupIndex, shape: [layer.cols], data: .i32(layer.grid.groupIndex))
        try writer.add(dequantized, shape: [layer.rows, layer.cols], data: .f32(layer.dequantized().storage.map(Float.init)))
        guard layer.outliers.count > 0 else { return }
        let entries = layer.outliers.entries
        try writer.add(outlierIndices, shape: [entries.count], data: .i64(entries.map { Int64($0.index) }))
        try writer.add(outlierValues, shape: [entries.count], data: .f32(entries.map { Float($0.value) }))
    }
}
