/// Seeded synthetic layer problems with correlated inputs (the research note's §1.8 setup): X mixes the
/// input channels through a random matrix with a decaying spectrum plus noise, a few channels are ×10
/// outliers, some may be dead; W ~ N(0, 0.02²) with 0.5% of entries ×8; Σ = XᵀX accumulated in fp64.
///
/// ```swift
/// let p = SyntheticProblem(rows: 256, cols: 512, tokens: 8000, seed: 0).make()
/// ```
public struct SyntheticProblem: Sendable {
    public var rows: Int
    public var cols: Int
    public var tokens: Int
    public var seed: UInt64
    public var outlierChannels: Int
    public var deadColumns: [Int]

    public init(rows: Int, cols: Int, tokens: Int, seed: UInt64, outlierChannels: Int = 8, deadColumns: [Int] = []) {
        self.rows = rows
        self.cols = cols
        self.tokens = tokens
        self.seed = seed
        self.outlierChannels = outlierChannels
        self.deadColumns = deadColumns
    }

    /// Builds W `[rows, cols]` (Float) and Σ `[cols, cols]` (fp64).
    public func make(name: String? = nil) -> LayerProblem<Float> {
        var rng = SeededGenerator(seed: seed)
        let p = cols
        // mix[i, :] scaled by 1/sqrt(1+i): a decaying spectrum of latent factors.
        var mix = Matrix<Float>(rows: p, cols: p)
        for i in 0..<p {
            let s = 1 / (1 + Double(i)).squareRoot() / Double(p).squareRoot()
            for k in 0..<p { mix.storage[i * p + k] = Float(rng.normal() * s) }
        }
        var z = Matrix<Float>(rows: tokens, cols: p)
        for i in z.storage.indices { z.storage[i] = Float(rng.normal()) }
        var x = z.matmul(mix)
        for i in x.storage.indices { x.storage[i] += Float(0.3 * rng.normal()) }
        var channelScale = [Float](repeating: 1, count: p)
        var pool = Array(0..<p)
        for _ in 0..<min(outlierChannels, p) {
            let k = Int(rng.next() % UInt64(pool.count))
            channelScale[pool.remove(at: k)] = 10
        }
        for j in deadColumns where j < p { channelScale[j] = 0 }
        for t in 0..<tokens { for j in 0..<p { x.storage[t * p + j] *= channelScale[j] } }
        let sigma = x.converted(to: Double.self).matmul(x.converted(to: Double.self), transposeSelf: true)
        var w = Matrix<Float>(rows: rows, cols: p)
        for i in w.storage.indices {
            let v = 0.02 * rng.normal()
            w.storage[i] = Float(rng.uniform() < 0.005 ? 8 * v : v)
        }
        // Exactly symmetric Σ.
        var s = sigma
        for i in 0..<p { for k in (i + 1)..<p { let v = 0.5 * (s[i, k] + s[k, i]); s[i, k] = v; s[k, i] = v } }
        // The inputs were built to be valid; a failure here is a programming error.
        return try! LayerProblem(name: name ?? "synthetic \(rows)x\(cols)", weights: w, hessian: s)
    }
}
