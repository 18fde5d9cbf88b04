import ArgumentParser
import Foundation
import Engine
import ModelKit
import QuantCore

/// `quantbench solve W.safetensors --hessian S.safetensors --method … --bits B --out OUT.safetensors`:
/// one layer problem from files, solved and written, with one JSON line of results on stdout.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Quantize one layer from a weight file and a Σ = XᵀX file; print one JSON line.",
        discussion: """
        W is [out, in] (F32, F64, F16 or BF16), Σ is [in, in] (F32 or F64). OUT holds codes (U8 [out, in]),
        scales and zeros (F32 [groups, out]), g_idx (I32 [in]), dequantized (F32 [out, in], grid + outliers)
        and, for quantease-outlier, outlier_indices (I64, flat row-major) and outlier_values (F32); its
        __metadata__ names the method and every setting. The JSON line has method, bits, shape, rel_err
        (tr(ΔΣΔᵀ)/tr(WΣWᵀ) in fp64), bits_per_weight, seconds, outliers and notes.
        """
    )

    @Argument(help: "The safetensors file holding W [out, in].")
    var weights: String
    @Option(help: "The safetensors file holding Σ [in, in].")
    var hessian: String
    @OptionGroup(title: "Method")
    var method: MethodOptions
    @Option(help: "The tensor of W (default: the file's only tensor, else 'weight').")
    var weightName: String?
    @Option(help: "The tensor of Σ (default: the file's only tensor, else 'hessian').")
    var hessianName: String?
    @Option(help: "Where to write the quantized layer (safetensors, replaced atomically).")
    var out: String
    @Flag(help: "Solve in fp64 instead of fp32.")
    var fp64 = false
    @Flag(help: "Print one line per solver report (sweep, GPTQ block) on stderr.")
    var progress = false

    func run() throws {
        let request = LayerSolveRequest(
            weights: URL(fileURLWithPath: weights), weightName: weightName,
            hessian: URL(fileURLWithPath: hessian), hessianName: hessianName,
            method: try method.layerMethod(), output: URL(fileURLWithPath: out), doublePrecision: fp64)
        let control = progress ? SolverControl(report: { Self.printProgress($0) }) : .silent
        let report = try solveLayer(request, control: control)
        print(try report.jsonLine())
    }

    /// `step 3/30  rel_err 0.012345  changed 120  outliers 0  on-grid  0.41s`.
    private static func printProgress(_ p: SolverProgress) {
        var line = "step \(p.step)/\(p.totalSteps)  rel_err " + String(format: "%.6g", p.relativeError)
        if let changed = p.codesChanged { line += "  changed \(changed)" }
        line += "  outliers \(p.outliers)  " + (p.onGrid ? "on-grid" : "relaxed") + String(format: "  %.2fs", p.elapsed)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
