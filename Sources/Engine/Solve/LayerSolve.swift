import Foundation
import ModelKit
import QuantCore

/// Loads W and Σ, solves the layer with the request's method, writes the quantized layer (atomically) and
/// returns the report. Throws ``LayerSolveError``, `SafetensorsError` or `QuantError`; never traps on input.
///
/// The output holds ``QuantizedLayerTensors`` and a `__metadata__` map with the method's ``LayerMethod/settings``,
/// the precision and the rel_err.
public func solveLayer(_ request: LayerSolveRequest, control: SolverControl = .silent) throws -> LayerSolveReport {
    let wFile = try SafetensorsFile(url: request.weights)
    let wName = try LayerTensorChoice.name(in: wFile, requested: request.weightName, defaultName: "weight",
                                           allowed: [.f32, .f64, .f16, .bf16])
    let sFile = try SafetensorsFile(url: request.hessian)
    let sName = try LayerTensorChoice.name(in: sFile, requested: request.hessianName, defaultName: "hessian",
                                           allowed: [.f32, .f64])
    let sigma = try sFile.doubleMatrix(sName)
    if request.doublePrecision {
        let problem = try LayerProblem(name: wName, weights: try wFile.doubleMatrix(wName), hessian: sigma)
        return try solveAndWrite(problem, request: request, control: control)
    }
    let problem = try LayerProblem(name: wName, weights: try wFile.matrix(wName), hessian: sigma)
    return try solveAndWrite(problem, request: request, control: control)
}

private func solveAndWrite<S: BLASScalar>(_ problem: LayerProblem<S>, request: LayerSolveRequest,
                                          control: SolverControl) throws -> LayerSolveReport {
    let result = try request.method.solve(problem, control: control)
    let layer = result.layer
    let relErr = Objective.relativeError(weights: problem.weights, quantized: layer.dequantized(), hessian: problem.hessian)
    var notes = result.notes
    if result.cancelled { notes.append("cancelled: the best on-grid iterate so far was written") }

    var metadata = request.method.settings
    metadata["precision"] = S.self == Double.self ? "fp64" : "fp32"
    metadata["rel_err"] = "\(relErr)"
    var writer = SafetensorsWriter(metadata: metadata)
    try QuantizedLayerTensors.add(layer, to: &writer)
    try writer.write(to: request.output)

    return LayerSolveReport(method: request.method.name, bits: layer.bits, shape: problem.weights.shape, relErr: relErr,
                            bitsPerWeight: layer.bitsPerWeight, seconds: result.seconds, outliers: layer.outliers.count,
                            notes: notes)
}
