import ModelKit
import QuantCore

/// The tensors a solved layer is written as, named as GPTQ checkpoints name them where they overlap.
///
/// `codes` U8 `[out, in]`; `scales`, `zeros` F32 `[groups, out]`; `g_idx` I32 `[in]`; `dequantized` F32
/// `[out, in]` (grid + outliers); with outliers also `outlier_indices` I64 (flat row-major) and
/// `outlier_values` F32. Weight `[r, c]` is `scales[g, r] · (codes[r, c] − zeros[g, r])` with
/// `g = g_idx[c]`, plus the outlier at `r · in + c` if any.
///
/// A codebook layer (AQLM) is written with the reference's tensor shapes instead: `codes` `[out, in/g, M]`
/// (U8 for codebooks of up to 256 entries, I32 above), `codebooks` F32 `[M, 2^B, 1, g]`, `scales` F32
/// `[out, 1, 1, 1]`, and `dequantized`. Group `j` of row `o` is `scales[o] · Σ_m codebooks[m, codes[o, j, m]]`.
public enum QuantizedLayerTensors {
    public static let codes = "codes"
    public static let scales = "scales"
    public static let zeros = "zeros"
    public static let groupIndex = "g_idx"
    public static let dequantized = "dequantized"
    public static let outlierIndices = "outlier_indices"
    public static let outlierValues = "outlier_values"
    public static let codebooks = "codebooks"

    /// Adds the layer's tensors to `writer`.
    public static func add<S: BLASScalar>(_ layer: QuantizedLayer<S>, to writer: inout SafetensorsWriter) throws(SafetensorsError) {
        if let c = layer.codebooks { return try add(c, to: &writer) }
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

    private static func add<S: BLASScalar>(_ c: AdditiveCodebooks<S>, to writer: inout SafetensorsWriter) throws(SafetensorsError) {
        let codeShape = [c.rows, c.groupsPerRow, c.codebookCount]
        if c.bits <= 8 {
            try writer.add(codes, shape: codeShape, data: .u8(c.codes.map { UInt8($0) }))
        } else {
            try writer.add(codes, shape: codeShape, data: .i32(c.codes.map { Int32($0) }))
        }
        try writer.add(codebooks, shape: [c.codebookCount, c.codebookSize, 1, c.groupSize], data: .f32(c.codebooks.map(Float.init)))
        try writer.add(scales, shape: [c.rows, 1, 1, 1], data: .f32(c.scales.map(Float.init)))
        try writer.add(dequantized, shape: [c.rows, c.cols], data: .f32(c.decoded().storage.map(Float.init)))
    }
}
