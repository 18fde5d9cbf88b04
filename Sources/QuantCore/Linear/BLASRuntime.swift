import CBLAS

/// What the loaded OpenBLAS is running on, and the core type it should run on.
///
/// Debian's OpenBLAS picks its kernels by CPU model; on CPUs it does not recognise (virtual machines often
/// report a generic model) it falls back to its Prescott (SSE3) kernels, 3–5× slower than the AVX2/AVX-512
/// ones the CPU supports. The choice is made when the library loads, so the executable restarts itself
/// with `OPENBLAS_CORETYPE` set when ``suggestedCoreType(cpuFlags:)`` says so.
public enum BLASRuntime {
    /// The kernel family OpenBLAS chose, e.g. `SkylakeX`, `Haswell`, `Prescott`.
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

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
