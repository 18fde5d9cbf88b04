import QuantCore

/// A change to one linear's output inside the forward pass, installed with
/// `TransformerModel.setOutputAdjustment`: dynamic error compensation adds fetched residual columns here.
public protocol LinearOutputAdjustment: Sendable {
    /// Adjusts `output` (`x · Wᵀ` before the bias, `[seq, out]`) computed from `input` (`[seq, in]`).
    func adjust(_ output: inout Matrix<Float>, input: Matrix<Float>)
}
