import Foundation
import QuantCore

/// The solver benchmark behind `quantbench bench`: RTN, GPTQ, QuantEase and outlier-aware QuantEase at
/// each bit width on each seeded synthetic shape, solved in fp32, with the numpy reference ports run on
/// the same problems in the same run; AQLM on the smaller shapes; and the quality table.
public enum SolverBench {
    /// What to measure.
    public struct Options: Sendable {
        public var shapes: [(Int, Int)]
        public var bits: [Int]
        public var seed: UInt64
        /// The numpy reference script, or nil to time quantbench alone.
        public var referenceScript: URL?
        /// Shapes with at least this many weights get the slow numpy CD ports extrapolated from 1 and 2 sweeps.
        public var extrapolateAbove: Int
        /// Shapes with at least this many weights skip the naive numpy outlier port.
        public var skipOutlierReferenceAbove: Int
        /// Shapes with more weights than this skip AQLM.
        public var aqlmMaxWeights: Int
        /// Include the quality table.
        public var quality: Bool

        public init(shapes: [(Int, Int)], bits: [Int], seed: UInt64, referenceScript: URL?, extrapolateAbove: Int,
                    skipOutlierReferenceAbove: Int, aqlmMaxWeights: Int, quality: Bool) {
            self.shapes = shapes
            self.bits = bits
            self.seed = seed
            self.referenceScript = referenceScript
            self.extrapolateAbove = extrapolateAbove
            self.skipOutlierReferenceAbove = skipOutlierReferenceAbove
            self.aqlmMaxWeights = aqlmMaxWeights
            self.quality = quality
        }
    }

    /// Runs the benchmark, telling `log` what it does.
    public static func run(_ options: Options, log: (String) -> Void) throws -> BenchReport {
        let runner = try options.referenceScript.map { try ReferenceRunner(script: $0) }
        defer { runner?.cleanUp() }

        var speed: [BenchRecord] = []
        for (rows, cols) in options.shapes {
            log("generating \(rows)x\(cols) (\(max(2048, 2 * cols)) tokens)…")
            let problem = SyntheticProblem(rows: rows, cols: cols, tokens: max(2048, 2 * cols), seed: options.seed).make()
            let dir = try runner?.write(problem, id: "\(rows)x\(cols)")
            var jobs: [[String: Any]] = []
            var pending: [Int] = []
            for b in options.bits {
                for m in BenchMethod.speedSet {
                    let r = try m.measure(problem, bits: b)
                    log(String(format: "  %4dx%-4d %d-bit %-32@ %8.3f s  rel_err %.5f", rows, cols, b, m.label, r.seconds, r.relErr))
                    speed.append(BenchRecord(shape: [rows, cols], bits: b, method: m.label, seconds: r.seconds, rel_err: r.relErr))
                    guard let dir else { continue }
                    let big = rows * cols >= options.extrapolateAbove
                    if m.kind == .outlier && rows * cols >= options.skipOutlierReferenceAbove {
                        speed[speed.count - 1].reference_note = "numpy port not run: it copies the whole residual per column (minutes to hours at this size)"
                        continue
                    }
                    jobs.append(["problem": dir.path, "kind": m.kind.rawValue, "bits": b, "sweeps": m.sweeps,
                                 "actorder": m.actOrder, "from_gptq": m.fromGPTQ, "fraction": m.outlierFraction,
                                 "extrapolate": big && (m.kind == .quantease)])
                    pending.append(speed.count - 1)
                }
            }
            if rows * cols <= options.aqlmMaxWeights {
                for m in BenchMethod.aqlmSet {
                    let r = try m.measure(problem, bits: 2)
                    log(String(format: "  %4dx%-4d %.3f bpw %-28@ %8.3f s  rel_err %.5f", rows, cols, r.bitsPerWeight, m.label, r.seconds, r.relErr))
                    speed.append(BenchRecord(shape: [rows, cols], bits: m.codebooks * m.codebookBits / 8, method: m.label, seconds: r.seconds,
                                             rel_err: r.relErr, bits_per_weight: r.bitsPerWeight))
                }
            } else {
                log("  \(rows)x\(cols): AQLM skipped (more than \(options.aqlmMaxWeights) weights)")
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
        if options.quality {
            log("quality: 256x512, 8000 tokens, 8 outlier channels…")
            let problem = SyntheticProblem(rows: 256, cols: 512, tokens: 8000, seed: options.seed).make()
            for b in options.bits {
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
        return BenchReport(machine: MachineInfo.current, seed: options.seed, speed: speed, quality: qualityRecords)
    }
}

/// A benchmark that could not run.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One line of the benchmark output.
public struct BenchRecord: Codable, Sendable {
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
public struct BenchReport: Codable, Sendable {
    var machine: MachineInfo
    var seed: UInt64
    var speed: [BenchRecord]
    var quality: [BenchRecord]
}

/// What the numbers were measured on.
public struct MachineInfo: Codable, Sendable {
    var cpu: String
    var cores: Int
    var blas: String
    var build: String

    public static var current: MachineInfo {
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
