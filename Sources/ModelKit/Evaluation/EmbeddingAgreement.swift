import QuantCore

/// How closely two sets of sentence embeddings (rows = sentences, same order) agree, in fp64: the
/// reference model's against a quantized model's.
///
/// A zero vector has cosine 0 with everything.
public enum EmbeddingAgreement {
    /// The mean over sentences of cos(reference[i], candidate[i]).
    public static func meanCosine<S: BLASScalar>(reference: Matrix<S>, candidate: Matrix<S>) throws(EvaluationError) -> Double {
        let (a, b) = try normalizedPair(reference, candidate, minimumRows: 1)
        var total = 0.0
        for i in 0..<a.rows {
            for k in 0..<a.cols { total += a[i, k] * b[i, k] }
        }
        return total / Double(a.rows)
    }

    /// The share of sentences whose nearest other sentence (highest cosine; ties to the lower index) is the
    /// same under both sets of embeddings.
    public static func nearestNeighbourAgreement<S: BLASScalar>(reference: Matrix<S>, candidate: Matrix<S>) throws(EvaluationError) -> Double {
        let (a, b) = try normalizedPair(reference, candidate, minimumRows: 2)
        let nearA = nearestOthers(a), nearB = nearestOthers(b)
        let agreeing = zip(nearA, nearB).filter { $0 == $1 }.count
        return Double(agreeing) / Double(a.rows)
    }

    /// For each row, the index of the other row with the largest cosine.
    private static func nearestOthers(_ unit: Matrix<Double>) -> [Int] {
        let cosines = unit.matmul(unit, transposeOther: true)
        return (0..<unit.rows).map { i in
            var best = -1, bestValue = -Double.infinity
            for j in 0..<unit.rows where j != i && cosines[i, j] > bestValue {
                best = j
                bestValue = cosines[i, j]
            }
            return best
        }
    }

    private static func normalizedPair<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>,
                                                      minimumRows: Int) throws(EvaluationError) -> (Matrix<Double>, Matrix<Double>) {
        guard a.shape == b.shape else { throw .shapeMismatch(reference: a.shape, candidate: b.shape) }
        guard a.rows >= minimumRows else { throw .tooFewRows(have: a.rows, need: minimumRows) }
        return (try normalizedRows(a), try normalizedRows(b))
    }

    /// Rows scaled to unit length in fp64 (zero rows stay zero).
    private static func normalizedRows<S: BLASScalar>(_ m: Matrix<S>) throws(EvaluationError) -> Matrix<Double> {
        if let bad = m.storage.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(row: bad / m.cols, col: bad % m.cols) }
        var out = m.converted(to: Double.self)
        for r in 0..<out.rows {
            let row = out.storage[r * out.cols..<(r + 1) * out.cols]
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for c in 0..<out.cols { out.storage[r * out.cols + c] /= norm }
        }
        return out
    }
}
