import Foundation
import ModelKit
import QuantCore

/// One standalone layer solve: W and Σ from safetensors files, a method, and where to write the answer.
///
/// ```swift
/// let request = LayerSolveRequest(weights: wURL, hessian: sURL, method: .rtn(try GridOptions(bits: 4)), output: outURL)
/// let report = try solveLayer(request)
/// print(try report.jsonLine())
/// ```
public struct LayerSolveRequest: Sendable {
    /// The file holding W `[out, in]` (F32, F64, F16 or BF16).
    public var weights: URL
    /// The tensor of W; nil picks the file's only tensor, else the one named `weight`.
    public var weightName: String?
    /// The file holding Σ `[in, in]` (F32 or F64).
    public var hessian: URL
    /// The tensor of Σ; nil picks the file's only tensor, else the one named `hessian`.
    public var hessianName: String?
    /// The solver and all its settings.
    public var method: LayerMethod
    /// Where the quantized layer is written (atomically).
    public var output: URL
    /// Solve in `Double` instead of `Float`.
    public var doublePrecision: Bool

    /// A request with every field given; tensor names default to nil, the precision to `Float`.
    public init(weights: URL, weightName: String? = nil, hessian: URL, hessianName: String? = nil,
                method: LayerMethod, output: URL, doublePrecision: Bool = false) {
        self.weights = weights
        self.weightName = weightName
        self.hessian = hessian
        self.hessianName = hessianName
        self.method = method
        self.output = output
        self.doublePrecision = doublePrecision
    }
}
