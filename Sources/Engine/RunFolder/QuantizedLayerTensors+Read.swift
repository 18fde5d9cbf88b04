import ModelKit
import QuantCore

extension QuantizedLayerTensors {
    /// Reads a layer written by `add(_:to:)` back into a `QuantizedLayer`.
    static func read(_ file: SafetensorsFile) throws -> QuantizedLayer<Float> {
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

    private static func bits(_ file: SafetensorsFile) throws -> Int {
        guard let b = file.metadata["bits"].flatMap(Int.init), (2...8).contains(b) else {
            throw RecipeError(file: file.url.path, line: nil, "the layer file does not say its bit width (metadata 'bits')")
        }
        return b
    }
}
