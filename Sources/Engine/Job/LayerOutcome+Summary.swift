import ModelKit
import QuantCore

extension LayerOutcome {
    /// The numbers the layer table and reports show.
    public var summary: LayerSummary {
        LayerSummary(name: layer.name, block: layer.block, rows: layer.outFeatures, cols: layer.inFeatures,
                     method: method, bits: result.layer.bits, relErr: relativeError,
                     bitsPerWeight: result.layer.bitsPerWeight, outliers: result.layer.outliers.count,
                     seconds: result.seconds, calibrationTokens: tokens, notes: result.notes, errorMap: errorMap)
    }
}
