import Foundation
import FloatBounds
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// Collects solver reports from the solver's thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [SolverProgress] = []
    func append(_ p: SolverProgress) { lock.withLock { steps.append(p) } }
    var all: [SolverProgress] { lock.withLock { steps } }
}

@Suite("Layer solve")
struct SolveLayerTests {
    let problem = SyntheticProblem(rows: 12, cols: 40, tokens: 160, seed: 3, outlierChannels: 2).make()

    /// Writes W (with a decoy bias, so the default name `weight` is needed) and Σ (its only tensor).
    private func writeInputs(_ scratch: ScratchFolder, weights: TensorData? = nil,
                             hessian: TensorData? = nil) throws -> (URL, URL) {
        var w = SafetensorsWriter()
        try w.add("weight", shape: problem.weights.shape, data: weights ?? .f32(problem.weights.storage))
        try w.add("bias", shape: [problem.outFeatures], data: .f32(Array(repeating: 0, count: problem.outFeatures)))
        try w.write(to: scratch.file("w.safetensors"))
        var s = SafetensorsWriter()
        try s.add("sigma", shape: problem.hessian.shape, data: hessian ?? .f64(problem.hessian.storage))
        try s.write(to: scratch.file("s.safetensors"))
        return (scratch.file("w.safetensors"), scratch.file("s.safetensors"))
    }

    /// Rebuilds the deployed weight from codes, scales, zeros, g_idx and the outliers of a written layer.
    private func rebuild(_ file: SafetensorsFile) throws -> Matrix<Float> {
        let codesInfo = try file.info(QuantizedLayerTensors.codes)
        #expect(codesInfo.dtype == .u8)
        let (rows, cols) = (codesInfo.shape[0], codesInfo.shape[1])
        let codes = try file.bytes(QuantizedLayerTensors.codes)
        let scales = try file.floats(QuantizedLayerTensors.scales)
        let zeros = try file.floats(QuantizedLayerTensors.zeros)
        #expect(try file.info(QuantizedLayerTensors.scales).shape == [scales.count / rows, rows])
        let gIdxInfo = try file.info(QuantizedLayerTensors.groupIndex)
        #expect(gIdxInfo.dtype == .i32 && gIdxInfo.shape == [cols])
        let gIdx = try file.bytes(QuantizedLayerTensors.groupIndex).withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        var m = Matrix<Float>(rows: rows, cols: cols)
        for r in 0..<rows {
            for c in 0..<cols {
                let g = Int(gIdx[c]) * rows + r
                m[r, c] = scales[g] * (Float(codes[r * cols + c]) - zeros[g])
            }
        }
        if file.contains(QuantizedLayerTensors.outlierIndices) {
            #expect(try file.info(QuantizedLayerTensors.outlierIndices).dtype == .i64)
            let indices = try file.bytes(QuantizedLayerTensors.outlierIndices).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
            let values = try file.floats(QuantizedLayerTensors.outlierValues)
            for (i, v) in zip(indices, values) { m.storage[Int(i)] += v }
        }
        return m
    }

    static let methods: [LayerMethod] = [
        .rtn(try! GridOptions(bits: 4, groupSize: 16)),
        .gptq(try! GPTQOptions(grid: GridOptions(bits: 3, groupSize: 16), blockSize: 8, actOrder: true)),
        .quantease(try! QuantEaseOptions(grid: GridOptions(bits: 3, symmetric: true), sweeps: 4)),
        .outlierQuantEase(try! OutlierQuantEaseOptions(grid: GridOptions(bits: 3), fraction: 0.02, sweeps: 4)),
    ]

    @Test(arguments: methods)
    func writesALayerWhoseCodesReproduceTheDequantizedWeights(method: LayerMethod) throws {
        let scratch = try ScratchFolder()
        let (w, s) = try writeInputs(scratch)
        let log = ProgressLog()
        let out = scratch.file("out.safetensors")
        let report = try solveLayer(LayerSolveRequest(weights: w, hessian: s, method: method, output: out),
                                    control: SolverControl(report: log.append))

        let file = try SafetensorsFile(url: out)
        let dequantized = try file.matrix(QuantizedLayerTensors.dequantized)
        #expect(try rebuild(file) == dequantized)
        let relErr = Objective.relativeError(weights: problem.weights, quantized: dequantized, hessian: problem.hessian)
        #expect(report.relErr == relErr)
        #expect(relErr > 0 && relErr < 0.5)
        #expect(report.method == method.name && report.bits == method.grid?.bits && report.shape == [12, 40])
        #expect(file.metadata["method"] == method.name && file.metadata["bits"] == "\(method.grid?.bits ?? 0)")
        #expect(file.metadata["precision"] == "fp32" && file.metadata["group_size"] == (method.name == "quantease-outlier" ? nil : "\(method.grid?.groupSize ?? 0)"))
        #expect(try LayerMethod(settings: file.metadata) == method)
        #expect(!log.all.isEmpty)
        let outliers = file.contains(QuantizedLayerTensors.outlierValues) ? try file.info(QuantizedLayerTensors.outlierValues).elementCount : 0
        #expect(report.outliers == outliers)
        if case .outlierQuantEase = method {
            #expect(outliers == 10)
            #expect(report.bitsPerWeight > 3 + Double(outliers * 32) / 480)
        } else {
            #expect(outliers == 0)
        }
    }

    @Test func solvesInDoublePrecisionFromHalfWeightsAndFloatSigma() throws {
        let scratch = try ScratchFolder()
        let half = problem.weights.storage.map { Float16($0) }
        let (w, s) = try writeInputs(scratch, weights: .f16(half), hessian: .f32(problem.hessian.storage.map(Float.init)))
        let out = scratch.file("out.safetensors")
        let report = try solveLayer(LayerSolveRequest(weights: w, hessian: s, method: .rtn(try GridOptions(bits: 4)),
                                                      output: out, doublePrecision: true))
        let file = try SafetensorsFile(url: out)
        #expect(file.metadata["precision"] == "fp64")
        let wide = Matrix<Double>(rows: 12, cols: 40, storage: half.map(Double.init))
        let sigma = Matrix<Double>(rows: 40, cols: 40, storage: problem.hessian.storage.map { Double(Float($0)) })
        let relErr = Objective.relativeError(weights: wide, quantized: try file.doubleMatrix(QuantizedLayerTensors.dequantized), hessian: sigma)
        // Both fp64 on the same widened W and Σ, but the file's `dequantized` is F32: each Ŵ entry rounded once
        // (γ(2) with a spare u for the fp64 sums), so |ΔQ| ≤ tr((|Δ| + E)|Σ|(|Δ| + E)ᵀ) − tr(|Δ||Σ||Δ|ᵀ).
        let delta = wide - (try file.doubleMatrix(QuantizedLayerTensors.dequantized))
        let reach = Matrix<Double>(rows: 12, cols: 40) { r, c in abs(delta[r, c]) + FloatSums.gamma(2) * abs(wide[r, c] - delta[r, c]) }
        let bound = (FloatSums.quadraticTraceMagnitude(reach, sigma) - FloatSums.quadraticTraceMagnitude(delta, sigma)) / Objective.quadraticTrace(wide, sigma)
        #expect(abs(report.relErr - relErr) <= bound)
    }

    @Test func picksNamedTensorsAndRejectsAmbiguousOnes() throws {
        let scratch = try ScratchFolder()
        let (w, _) = try writeInputs(scratch)
        var s = SafetensorsWriter()
        try s.add("a", shape: problem.hessian.shape, data: .f64(problem.hessian.storage))
        try s.add("b", shape: [1], data: .f64([0]))
        let sURL = try { try s.write(to: scratch.file("two.safetensors")); return scratch.file("two.safetensors") }()
        let out = scratch.file("out.safetensors")
        let rtn = LayerMethod.rtn(try GridOptions(bits: 4))
        #expect(throws: LayerSolveError.ambiguousTensor(file: sURL.path, defaultName: "hessian", available: ["a", "b"])) {
            try solveLayer(LayerSolveRequest(weights: w, hessian: sURL, method: rtn, output: out))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let report = try solveLayer(LayerSolveRequest(weights: w, hessian: sURL, hessianName: "a", method: rtn, output: out))
        #expect(report.shape == [12, 40])
        #expect(throws: SafetensorsError.tensorNotFound(file: w.path, tensor: "nope")) {
            try solveLayer(LayerSolveRequest(weights: w, weightName: "nope", hessian: sURL, hessianName: "a", method: rtn, output: out))
        }
    }

    @Test func reportsBadInputWithTypedErrors() throws {
        let scratch = try ScratchFolder()
        let out = scratch.file("out.safetensors")
        let rtn = LayerMethod.rtn(try GridOptions(bits: 4))
        let (w, _) = try writeInputs(scratch, hessian: .f16(problem.hessian.storage.map { Float16($0) }))
        #expect(throws: LayerSolveError.unsupportedDType(file: scratch.file("s.safetensors").path, tensor: "sigma", dtype: "F16", allowed: ["F32", "F64"])) {
            try solveLayer(LayerSolveRequest(weights: w, hessian: scratch.file("s.safetensors"), method: rtn, output: out))
        }
        var small = SafetensorsWriter()
        try small.add("hessian", shape: [3, 3], data: .f64([1, 0, 0, 0, 1, 0, 0, 0, 1]))
        try small.write(to: scratch.file("small.safetensors"))
        #expect(throws: QuantError.shapeMismatch(weights: [12, 40], hessian: [3, 3])) {
            try solveLayer(LayerSolveRequest(weights: w, hessian: scratch.file("small.safetensors"), method: rtn, output: out))
        }
        #expect(throws: SafetensorsError.self) {
            try solveLayer(LayerSolveRequest(weights: scratch.file("missing.safetensors"), hessian: w, method: rtn, output: out))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func reportIsOneJSONLineInTheDocumentedKeyOrder() throws {
        let report = LayerSolveReport(method: "gptq", bits: 3, shape: [4, 8], relErr: 0.25, bitsPerWeight: 3.5,
                                      seconds: 0.5, outliers: 0, notes: ["n"])
        let line = try report.jsonLine()
        #expect(line == #"{"method":"gptq","bits":3,"shape":[4,8],"rel_err":0.25,"bits_per_weight":3.5,"seconds":0.5,"outliers":0,"notes":["n"]}"#)
    }

    @Test func settingsNameEveryOption() throws {
        let gptqStart = try GPTQOptions(grid: GridOptions(bits: 3, groupSize: 64), dampingFraction: 0.1, staticGroups: true)
        let m = LayerMethod.quantease(try QuantEaseOptions(grid: GridOptions(bits: 3, groupSize: 64), sweeps: 5,
                                                           schedule: .alwaysRound, initialization: .gptq(gptqStart)))
        let s = m.settings
        #expect(s["method"] == "quantease" && s["bits"] == "3" && s["group_size"] == "64" && s["sweeps"] == "5")
        #expect(s["schedule"] == "always-round" && s["init"] == "gptq" && s["damping"] == "0.1")
        #expect(s["static_groups"] == "true" && s["block_size"] == "128" && s["outlier_fraction"] == nil)
        #expect(try LayerMethod(settings: s.merging(["rel_err": "0.1", "precision": "fp32"]) { $1 }) == m)
    }
}
