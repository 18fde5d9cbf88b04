import ArgumentParser
import Foundation
import Engine

/// `quantbench bench`: the benchmarks, each printing JSON; the solvers' is the default.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks as JSON: the layer solvers (the default), the workbench frame, the calibration forward, block fine-tuning.",
        subcommands: [SolverBenchCommand.self, FrameBenchCommand.self, ForwardBenchCommand.self, TuningBenchCommand.self],
        defaultSubcommand: SolverBenchCommand.self
    )
}

/// `quantbench bench [solvers]`: solver timings and quality as JSON, next to the numpy reference ports. A
/// subcommand of its own, so that its flags (`--no-reference`) are not also the other benchmarks'.
struct SolverBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solvers",
        abstract: "Time the layer solvers on seeded synthetic problems and print JSON.",
        discussion: """
        Speed: RTN, GPTQ, QuantEase (30 sweeps from W and from GPTQ) and outlier-aware QuantEase (1%) at each
        bit width on each shape, solved in fp32 on OpenBLAS; the numpy reference ports run on the same
        problems in the same run (unless --no-reference) and each record carries the ratio.
        AQLM 2x8g8 and 1x8g8 (10 epochs of 20 Adam steps, no early stop) run once per shape up to
        --aqlm-max-weights, with the bits per weight they actually use; there is no numpy port of AQLM.
        Quality: rel_err of every method on the research note's 256×512 problem (8000 tokens).
        Build with -c release before measuring.
        """
    )

    @Option(help: "Layer shapes OUTxIN, comma-separated.")
    var shapes = "384x1536,1536x384,1024x1024,4096x4096"
    @Option(help: "Bit widths, comma-separated.")
    var bits = "3,4"
    @Option(help: "Seed of the synthetic problems.")
    var seed: UInt64 = 0
    @Flag(inversion: .prefixedNo, help: "Run the numpy reference ports on the same problems.")
    var reference = true
    @Option(help: "The numpy reference script.")
    var referenceScript = "scripts/bench_reference.py"
    @Option(help: "Shapes with at least this many weights get the slow numpy CD ports extrapolated from 1 and 2 sweeps (outlier port skipped).")
    var extrapolateAbove = 4_000_000
    @Option(help: "Shapes with at least this many weights skip the naive numpy outlier port (it copies the whole residual per column).")
    var skipOutlierReferenceAbove = 1_000_000
    @Option(help: "Shapes with more weights than this skip AQLM (its k-means init and Adam steps take minutes at 4096×4096).")
    var aqlmMaxWeights = 2_000_000
    @Flag(inversion: .prefixedNo, help: "Include the quality table.")
    var quality = true
    @Option(help: "Also write the JSON to this file.")
    var out: String?

    func run() throws {
        let shapeList = try shapes.split(separator: ",").map { s -> (Int, Int) in
            let parts = s.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("bad shape '\(s)': expected OUTxIN, e.g. 1024x1024") }
            return (parts[0], parts[1])
        }
        let bitList = try bits.split(separator: ",").map { b -> Int in
            guard let v = Int(b), (2...8).contains(v) else { throw ValidationError("bad bit width '\(b)': expected 2…8") }
            return v
        }
        let script = URL(fileURLWithPath: referenceScript)
        guard !reference || FileManager.default.fileExists(atPath: script.path) else {
            throw ValidationError("no reference script at \(referenceScript): run from the repository root, pass --reference-script, or --no-reference")
        }
        let options = SolverBench.Options(shapes: shapeList, bits: bitList, seed: seed, referenceScript: reference ? script : nil,
                                          extrapolateAbove: extrapolateAbove, skipOutlierReferenceAbove: skipOutlierReferenceAbove,
                                          aqlmMaxWeights: aqlmMaxWeights, quality: quality)
        let report = try SolverBench.run(options) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(report)
        if let out { try json.write(to: URL(fileURLWithPath: out), options: .atomic) }
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }
}
