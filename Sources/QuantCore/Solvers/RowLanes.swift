import Dispatch

/// The rows of a working matrix split into contiguous ranges, one per BLAS thread, for solvers whose rows
/// are independent (a CD sweep, GPTQ's column loop): every lane runs the whole loop on its rows with its
/// own single-threaded BLAS calls, so the many small per-panel steps run in parallel without a hand-off
/// to the BLAS thread pool each time.
struct RowLanes {
    let ranges: [Range<Int>]

    /// At most `threads` lanes of at least `minimumRows` rows, split on multiples of 16 rows.
    init(rows: Int, threads: Int = BLASRuntime.threadCount, minimumRows: Int = 128) {
        let n = max(1, min(threads, rows / minimumRows))
        var bounds = [0]
        for k in 1..<n { bounds.append((rows * k / n) / 16 * 16) }
        bounds.append(rows)
        ranges = (0..<n).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// `body` on every lane, in parallel when there is more than one (with BLAS single-threaded meanwhile);
    /// the results in lane order.
    func run<T>(_ body: (Range<Int>) -> T) -> [T] {
        if ranges.count == 1 { return [body(ranges[0])] }
        // Each lane writes only its own slot of `results` and its own rows of whatever `body` touches.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: ranges.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let ranges = ranges
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let lane = body
            BLASRuntime.withSingleThreadedCalls {
                DispatchQueue.concurrentPerform(iterations: ranges.count) { i in results[i] = lane(ranges[i]) }
            }
        }
        return results.map { $0! }
    }
}
