import CBLAS
import Foundation

/// What the loaded OpenBLAS is running on, and the core type it should run on.
///
/// Debian's OpenBLAS picks its kernels by CPU model; on CPUs it does not recognise (virtual machines often
/// report a generic model) it falls back to its Prescott (SSE3) kernels, 3–5× slower than the AVX2/AVX-512
/// ones the CPU supports. The choice is made when the library loads, so the executable restarts itself
/// with `OPENBLAS_CORETYPE` set when ``suggestedCoreType(cpuFlags:)`` says so.
public enum BLASRuntime {
    /// The kernel family OpenBLAS chose, e.g. `SkylakeX`, `Haswell`, `Prescott`.
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// The threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    private static let singleThreaded = SingleThreadedCalls()

    /// Runs `body` with every OpenBLAS call single-threaded, for callers that split work across their own
    /// threads (and call BLAS from each). Nested and concurrent uses share one restore of the thread count.
    public static func withSingleThreadedCalls<T>(_ body: () throws -> T) rethrows -> T {
        singleThreaded.enter()
        defer { singleThreaded.leave() }
        return try body()
    }

    /// OpenBLAS's build configuration string.
    public static var config: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }

    /// The core type to force when OpenBLAS fell back to generic kernels on a CPU with AVX2 or AVX-512
    /// (`cpuFlags` as in /proc/cpuinfo); nil when its own choice is fine.
    public static func suggestedCoreType(cpuFlags: Set<String>, current: String = coreName) -> String? {
        guard ["prescott", "core2", "penryn", "dunnington", "nehalem", "unknown"].contains(current.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}

/// How many callers currently need single-threaded OpenBLAS, and the thread count to restore after them.
private final class SingleThreadedCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var depth = 0
    private var saved: Int32 = 1

    func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            saved = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        depth += 1
    }

    func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { openblas_set_num_threads(saved) }
    }
}
