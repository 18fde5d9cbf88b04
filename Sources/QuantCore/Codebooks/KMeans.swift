/// Plain Euclidean k-means as AQLM's initialisation runs it (`src/kmeans.py::fit_kmeans`): seeded with
/// random distinct data points, Lloyd iterations up to a cap, a convergence check (`allclose`, rtol 1e-6,
/// atol 1e-8) every 10 iterations, and empty clusters keeping their previous centroid unless re-seeding is on.
enum KMeans {
    /// Centroids `[k, dim]` and the nearest centroid of every point.
    struct Fit<S: BLASScalar> {
        var centroids: [S]
        var assignment: [UInt16]
    }

    static let checkEvery = 10

    /// Clusters `count` points of length `dim` (row-major in `points`) into `k` centroids.
    /// With `reseedDead`, a cluster that ends an iteration empty moves onto the point farthest from its
    /// centroid (a different point per empty cluster).
    @_specialize(where S == Float)
    static func fit<S: BLASScalar>(points: UnsafePointer<S>, count n: Int, dim g: Int, k: Int, maxIterations: Int,
                                   reseedDead: Bool, rng: inout SeededGenerator,
                                   isCancelled: () -> Bool = { false }) -> Fit<S> {
        // Seeding: the first k of a random permutation (with repeats only when there are fewer points than k).
        var pool = Array(0..<n)
        var seeds = [Int]()
        seeds.reserveCapacity(k)
        for i in 0..<k {
            if i < n {
                let r = i + Int(rng.next() % UInt64(n - i))
                pool.swapAt(i, r)
                seeds.append(pool[i])
            } else {
                seeds.append(Int(rng.next() % UInt64(n)))
            }
        }
        var centroids = [S](repeating: 0, count: k * g)
        for (c, p) in seeds.enumerated() { for a in 0..<g { centroids[c * g + a] = points[p * g + a] } }
        return lloyd(points: points, count: n, dim: g, centroids: centroids, maxIterations: maxIterations,
                     reseedDead: reseedDead, isCancelled: isCancelled)
    }

    /// Lloyd iterations from the given `[k, dim]` centroids.
    @_specialize(where S == Float)
    static func lloyd<S: BLASScalar>(points: UnsafePointer<S>, count n: Int, dim g: Int, centroids start: [S], maxIterations: Int,
                                     reseedDead: Bool, isCancelled: () -> Bool = { false }) -> Fit<S> {
        let k = start.count / g
        var centroids = start
        var nearest = Nearest<S>(count: n, k: k)
        var sums = [Double](repeating: 0, count: k * g)
        var counts = [Int](repeating: 0, count: k)
        var next = centroids
        for iteration in 0..<maxIterations {
            if isCancelled() { break }
            nearest.assign(points: points, centroids: centroids, dim: g)
            for i in sums.indices { sums[i] = 0 }
            for i in counts.indices { counts[i] = 0 }
            for p in 0..<n {
                let c = Int(nearest.assignment[p])
                counts[c] += 1
                for a in 0..<g { sums[c * g + a] += Double(points[p * g + a]) }
            }
            var dead: [Int] = []
            for c in 0..<k {
                if counts[c] == 0 {
                    for a in 0..<g { next[c * g + a] = centroids[c * g + a] }
                    dead.append(c)
                } else {
                    for a in 0..<g { next[c * g + a] = S(sums[c * g + a] / Double(counts[c])) }
                }
            }
            if reseedDead, !dead.isEmpty {
                let worst = nearest.distance.indices.sorted { nearest.distance[$0] > nearest.distance[$1] }
                for (c, p) in zip(dead, worst) { for a in 0..<g { next[c * g + a] = points[p * g + a] } }
            }
            let converged = iteration % checkEvery == 0 && allClose(next, centroids)
            swap(&centroids, &next)
            if converged { break }
        }
        nearest.assign(points: points, centroids: centroids, dim: g)
        return Fit(centroids: centroids, assignment: nearest.assignment)
    }

    /// `torch.allclose(a, b, rtol=1e-6, atol=1e-8)`.
    static func allClose<S: BLASScalar>(_ a: [S], _ b: [S]) -> Bool {
        zip(a, b).allSatisfy { abs(Double($0) - Double($1)) <= 1e-8 + 1e-6 * abs(Double($1)) }
    }

    /// Nearest-centroid search by `‖c‖² − 2⟨x, c⟩` on GEMMs over blocks of points; buffers are reused.
    struct Nearest<S: BLASScalar> {
        var assignment: [UInt16]
        /// Squared distance of every point to its nearest centroid.
        var distance: [S]
        private var dots: [S]
        private var norms: [S]
        private let k: Int
        private static var block: Int { 2048 }

        init(count n: Int, k: Int) {
            self.k = k
            assignment = [UInt16](repeating: 0, count: n)
            distance = [S](repeating: 0, count: n)
            dots = [S](repeating: 0, count: Self.block * k)
            norms = [S](repeating: 0, count: k)
        }

        @_specialize(where S == Float)
        mutating func assign(points: UnsafePointer<S>, centroids: [S], dim g: Int) {
            let n = assignment.count, k = self.k
            for c in 0..<k {
                var s: S = 0
                for a in 0..<g { s += centroids[c * g + a] * centroids[c * g + a] }
                norms[c] = s
            }
            centroids.withUnsafeBufferPointer { cp in
                dots.withUnsafeMutableBufferPointer { d in
                    var start = 0
                    while start < n {
                        let rows = min(Self.block, n - start)
                        S.gemm(transA: false, transB: true, m: rows, n: k, k: g, alpha: 1, a: points + start * g, lda: g,
                               b: cp.baseAddress!, ldb: g, beta: 0, c: d.baseAddress!, ldc: k)
                        for r in 0..<rows {
                            var best = 0
                            var bestValue = S.infinity
                            let row = d.baseAddress! + r * k
                            for c in 0..<k {
                                let v = norms[c] - 2 * row[c]
                                if v < bestValue { bestValue = v; best = c }
                            }
                            var xx: S = 0
                            for a in 0..<g { xx += points[(start + r) * g + a] * points[(start + r) * g + a] }
                            assignment[start + r] = UInt16(best)
                            distance[start + r] = bestValue + xx
                        }
                        start += rows
                    }
                }
            }
        }
    }
}
