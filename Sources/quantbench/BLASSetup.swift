import Foundation
import QuantCore

/// Restarts the process with `OPENBLAS_CORETYPE` set when OpenBLAS loaded generic kernels on a CPU that
/// has AVX2/AVX-512 (see `BLASRuntime`). A user's own `OPENBLAS_CORETYPE` always wins.
enum BLASSetup {
    static func ensureFastKernels() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil,
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let core = BLASRuntime.suggestedCoreType(cpuFlags: Set(flagsLine.split(separator: " ").map(String.init)))
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        let args = CommandLine.arguments
        var cargs = args.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &cargs)
        // execv only returns on failure: carry on with the generic kernels.
    }
}
