import QuantCore

/// The tensors of one checkpoint file under the model's Hugging Face names, read as floats: a safetensors
/// file as stored, a GGUF file dequantized and renamed (`GGUFLlamaTensors`).
protocol TensorSource: Sendable {
    /// Every tensor, in file order.
    var tensors: [TensorInfo] { get }
    func contains(_ name: String) -> Bool
    func info(_ name: String) throws -> TensorInfo
    /// The tensor's elements, row-major, as `Float`.
    func floats(_ name: String) throws -> [Float]
    /// Rows of the outermost dimension (clamped to it), row-major, as `Float`.
    func floats(_ name: String, rows: Range<Int>) throws -> [Float]
    /// A 2-D tensor as `Matrix<Float>`, in the stored orientation.
    func matrix(_ name: String) throws -> Matrix<Float>
    /// A 2-D tensor as `Matrix<Double>`, in the stored orientation.
    func doubleMatrix(_ name: String) throws -> Matrix<Double>
}

extension SafetensorsFile: TensorSource {}
