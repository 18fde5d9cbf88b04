import ModelKit
import QuantCore

extension QuantizedLayerTensors {
    /// Reads a layer written by `add(_:to:)` back into a `QuantizedLayer`.
    static func read(_ file: SafetensorsFile) throws -> QuantizedLayer<Float> {
        if file.contains(codebooks) { return QuantizedLayer(codebooks: try readCodebooks(file)) }
        let codes = try file.bytes(codes)
        let shape = try file.info(QuantizedLayerTensors.codes).shape
        guard shape.count == 2 else { throw RecipeError(file: file.url.path, line: nil, "codes must be 2-D, found \(shape)") }
        let gi = try file.bytes(groupIndex).withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        let grid = QuantGrid<Float>(bits: try bits(file), rows: shape[0], scales: try file.floats(scales), zeros: try file.floats(zeros), groupIndex: gi)
        var outliers = SparseOutliers<Float>()
        if file.contains(outlierIndices) {
            let idx = try file.bytes(outlierIndices).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
            let values = try file.floats(outlierValues)
            outliers = SparseOutliers(entries: zip(idx, values).map { .init(index: Int($0), value: $1) })
        }
        return QuantizedLayer(rows: shape[0], cols: shape[1], codes: codes, grid: grid, outliers: outliers)
    }

    /// A codebook layer (AQLM): shapes, code width and code range are checked against each other.
    private static func readCodebooks(_ file: SafetensorsFile) throws -> AdditiveCodebooks<Float> {
        func fault(_ why: String) -> RecipeError { RecipeError(file: file.url.path, line: nil, why) }
        let cb = try file.info(codebooks), ci = try file.info(codes)
        guard cb.shape.count == 4, cb.shape[2] == 1, ci.shape.count == 3 else {
            throw fault("codebook layer: codebooks must be [M, 2^B, 1, g] and codes [out, in/g, M], found \(cb.shape) and \(ci.shape)")
        }
        let (m, k, g) = (cb.shape[0], cb.shape[1], cb.shape[3])
        let (rows, groups) = (ci.shape[0], ci.shape[1])
        let bits = k.trailingZeroBitCount
        guard k > 1, k == 1 << bits, bits <= 16, m > 0, g > 0, ci.shape[2] == m else {
            throw fault("codebook layer: \(k) entries per codebook (must be a power of two up to 2^16) with codes for \(ci.shape[2]) of \(m) codebooks")
        }
        let raw = try file.bytes(codes)
        let values: [Int]
        switch ci.dtype {
        case .u8: values = raw.map(Int.init)
        case .i32: values = raw.withUnsafeBytes { $0.bindMemory(to: Int32.self).map { Int($0) } }
        default: throw fault("codebook layer: codes must be U8 or I32, found \(ci.dtype)")
        }
        guard values.allSatisfy({ (0..<k).contains($0) }) else { throw fault("codebook layer: a code is outside 0…\(k - 1)") }
        let scaleValues = try file.floats(scales)
        guard scaleValues.count == rows else { throw fault("codebook layer: \(scaleValues.count) scales for \(rows) rows") }
        return AdditiveCodebooks(rows: rows, cols: groups * g, codebookCount: m, bits: bits, groupSize: g,
                                 codes: values.map { UInt16($0) }, codebooks: try file.floats(codebooks), scales: scaleValues)
    }

    private static func bits(_ file: SafetensorsFile) throws -> Int {
        guard let b = file.metadata["bits"].flatMap(Int.init), (2...8).contains(b) else {
            throw RecipeError(file: file.url.path, line: nil, "the layer file does not say its bit width (metadata 'bits')")
        }
        return b
    }
}
