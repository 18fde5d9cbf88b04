import ModelKit
import QuantCore

extension LayerOutcome {
    /// The numbers the layer table and reports show.
    public var summary: LayerSummary {
        LayerSummary(name: layer.name, block: layer.block, rows: layer.outFeatures, cols: layer.inFeatures,
                     method: layerMethod, bits: result.layer.bits, relErr: relativeError,
                     bitsPerWeight: result.layer.bitsPerWeight, outliers: result.layer.outliers.count,
                     seconds: result.seconds, calibrationTokens: tokens, notes: result.notes, errorMap: errorMap)
    }

    /// What a cancelled solve got done.
    func cancellation(replacesMain: Bool) -> CancelledSolve {
        let last = result.history.last
        return CancelledSolve(layer: layer.name, method: layerMethod, step: last?.step ?? 0, totalSteps: last?.totalSteps ?? 0,
                              replacesMain: replacesMain)
    }
}
