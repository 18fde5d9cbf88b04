import ArgumentParser
import Foundation
import QuantCore

/// `quantbench bench`: solver timings and quality as JSON, next to the numpy reference ports.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the layer solvers on seeded synthetic problems and print JSON (`bench frame`: the workbench frame).",
        discussion: """
        Speed: RTN, GPTQ, QuantEase (30 sweeps from W and from GPTQ) and outlier-aware QuantEase (1%) at each
        bit width on each shape, solved in fp32 on OpenBLAS; the numpy reference ports run on the same
        problems in the same run (unless --no-reference) and each record carries the ratio.
        AQLM 2x8g8 and 1x8g8 (10 epochs of 20 Adam steps, no early stop) run once per shape up to
        --aqlm-max-weights, with the bits per weight they actually use; there is no numpy port of AQLM.
        Quality: rel_err of every method on the research note's 256×512 problem (8000 tokens).
        Build with -c release before measuring.
        """,
        subcommands: [FrameBenchCommand.self]
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
        var runner: ReferenceRunner? = nil
        if reference {
            let script = URL(fileURLWithPath: referenceScript)
            guard FileManager.default.fileExists(atPath: script.path) else {
                throw ValidationError("no reference script at \(referenceScript): run from the repository root, pass --reference-script, or --no-reference")
            }
            runner = try ReferenceRunner(script: script)
        }
        defer { runner?.cleanUp() }

        var speed: [BenchRecord] = []
        for (rows, cols) in shapeList {
            log("generating \(rows)x\(cols) (\(max(2048, 2 * cols)) tokens)…")
            let problem = SyntheticProblem(rows: rows, cols: cols, tokens: max(2048, 2 * cols), seed: seed).make()
            let dir = try runner?.write(problem, id: "\(rows)x\(cols)")
            var jobs: [[String: Any]] = []
            var pending: [Int] = []
            for b in bitList {
                for m in BenchMethod.speedSet {
                    let r = try m.measure(problem, bits: b)
                    log(String(format: "  %4dx%-4d %d-bit %-32@ %8.3f s  rel_err %.5f", rows, cols, b, m.label, r.seconds, r.relErr))
                    speed.append(BenchRecord(shape: [rows, cols], bits: b, method: m.label, seconds: r.seconds, rel_err: r.relErr))
                    guard let dir else { continue }
                    let big = rows * cols >= extrapolateAbove
                    if m.kind == .outlier && rows * cols >= skipOutlierReferenceAbove {
                        speed[speed.count - 1].reference_note = "numpy port not run: it copies the whole residual per column (minutes to hours at this size)"
                        continue
                    }
                    jobs.append(["problem": dir.path, "kind": m.kind.rawValue, "bits": b, "sweeps": m.sweeps,
                                 "actorder": m.actOrder, "from_gptq": m.fromGPTQ, "fraction": m.outlierFraction,
                                 "extrapolate": big && (m.kind == .quantease)])
                    pending.append(speed.count - 1)
                }
            }
            if rows * cols <= aqlmMaxWeights {
                for m in BenchMethod.aqlmSet {
                    let r = try m.measure(problem, bits: 2)
                    log(String(format: "  %4dx%-4d %.3f bpw %-28@ %8.3f s  rel_err %.5f", rows, cols, r.bitsPerWeight, m.label, r.seconds, r.relErr))
                    speed.append(BenchRecord(shape: [rows, cols], bits: m.codebooks * m.codebookBits / 8, method: m.label, seconds: r.seconds,
                                             rel_err: r.relErr, bits_per_weight: r.bitsPerWeight))
                }
            } else {
                log("  \(rows)x\(cols): AQLM skipped (more than --aqlm-max-weights \(aqlmMaxWeights) weights)")
            }
            if let runner, !jobs.isEmpty {
                log("  numpy reference ports on \(rows)x\(cols)…")
                for (i, t) in zip(pending, try runner.run(jobs)) {
                    speed[i].reference_seconds = t.seconds
                    speed[i].reference_rel_err = t.rel_err
                    speed[i].speedup = t.seconds / speed[i].seconds
                    if t.extrapolated_from_sweeps != nil { speed[i].reference_note = "numpy time extrapolated from 1 and 2 sweeps" }
                }
            }
        }
        var qualityRecords: [BenchRecord] = []
        if quality {
            log("quality: 256x512, 8000 tokens, 8 outlier channels…")
            let problem = SyntheticProblem(rows: 256, cols: 512, tokens: 8000, seed: seed).make()
            for b in bitList {
                for m in BenchMethod.qualitySet {
                    let r = try m.measure(problem, bits: b)
                    qualityRecords.append(BenchRecord(shape: [256, 512], bits: b, method: m.label, seconds: r.seconds, rel_err: r.relErr,
                                                      bits_per_weight: r.bitsPerWeight))
                }
            }
            for m in BenchMethod.aqlmSet {
                let r = try m.measure(problem, bits: 2)
                qualityRecords.append(BenchRecord(shape: [256, 512], bits: m.codebooks * m.codebookBits / 8, method: m.label, seconds: r.seconds,
                                                  rel_err: r.relErr, bits_per_weight: r.bitsPerWeight))
            }
        }
        let report = BenchReport(machine: MachineInfo.current, seed: seed, speed: speed, quality: qualityRecords)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(report)
        if let out { try json.write(to: URL(fileURLWithPath: out), options: .atomic) }
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }

    private func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// One line of the benchmark output.
struct BenchRecord: Codable {
    var shape: [Int]
    var bits: Int
    var method: String
    var seconds: Double
    var rel_err: Double
    /// Storage bits per weight actually used (grid or codebook overhead included).
    var bits_per_weight: Double? = nil
    var reference_seconds: Double? = nil
    var reference_rel_err: Double? = nil
    var speedup: Double? = nil
    var reference_note: String? = nil
}

/// The whole benchmark output.
struct BenchReport: Codable {
    var machine: MachineInfo
    var seed: UInt64
    var speed: [BenchRecord]
    var quality: [BenchRecord]
}

/// What the numbers were measured on.
struct MachineInfo: Codable {
    var cpu: String
    var cores: Int
    var blas: String
    var build: String

    static var current: MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        #if DEBUG
        let build = "debug (numbers are not representative: build with -c release)"
        #else
        let build = "release"
        #endif
        return MachineInfo(cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount, blas: "OpenBLAS \(BLASRuntime.coreName) kernels (\(BLASRuntime.config))", build: build)
    }
}
