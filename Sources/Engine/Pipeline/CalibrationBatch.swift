import ModelKit
import QuantCore

/// Calibration windows of one length stacked row-wise, `[windows · length, hidden]`: a block runs on the
/// whole batch at once (each window attends only to itself), so its linears are gemms that many times taller.
struct CalibrationBatch {
    /// Tokens a batch holds at most: enough for tall gemms, small enough that a block's activations stay a
    /// few tens of MB on a 576-wide model.
    static let maxTokens = 2048

    var hidden: Matrix<Float>
    let sequenceLength: Int

    /// Windows in the batch.
    var windows: Int { hidden.rows / sequenceLength }

    /// The windows embedded, consecutive ones of one length batched together.
    static func batches(of windows: [[Int]], model: TransformerModel) throws(ForwardError) -> [CalibrationBatch] {
        var batches: [CalibrationBatch] = []
        var start = 0
        while start < windows.count {
            let length = windows[start].count
            var end = start + 1
            while end < windows.count, windows[end].count == length, (end - start + 1) * length <= maxTokens { end += 1 }
            batches.append(CalibrationBatch(hidden: try model.embed(batch: Array(windows[start..<end])), sequenceLength: max(length, 1)))
            start = end
        }
        return batches
    }

    /// The batch after block `index`, with `observe` seeing each linear's input.
    func through(_ index: Int, of model: TransformerModel, observe: ((LinearLayer, Matrix<Float>) -> Void)? = nil) throws(ForwardError) -> CalibrationBatch {
        CalibrationBatch(hidden: try model.block(index, hidden, sequenceLength: sequenceLength, observe: observe), sequenceLength: sequenceLength)
    }
}
