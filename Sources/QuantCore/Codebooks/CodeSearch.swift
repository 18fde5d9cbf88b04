/// AQLM's code update (`src/beam_search_xtx.py`, research note §1.5): a local search from the current
/// codes in the Σ metric. Groups are visited in a shuffled order and, inside each group, the codebooks in a
/// shuffled order; for every slot each row scores all `2^B` candidates with
///
///     L(c) − L(c_old) = −2 s_o ⟨C_m[c] − C_m[c_old], r_o⟩ + s_o² (C_m[c]ᵀ Σ_JJ C_m[c] − C_m[c_old]ᵀ Σ_JJ C_m[c_old])
///
/// where `r_o = (R_o + s_o C_m[c_old] e_J) Σ[:, J]` is the residual without the slot, projected on the
/// group's columns. With beam 1 a row keeps the best candidate (the old code on a tie), so the loss never
/// rises; with a wider beam every row keeps its `beam` best code assignments and ends on the best one.
final class CodeSearch<S: BLASScalar> {
    private let state: AQLMState<S>
    private let beam: Int
    /// `[beam, rows, groups·M]`, `[beam, rows, cols]`, `[beam, rows]`: the hypotheses of every row.
    private var hypothesisCodes: [UInt16] = [], nextCodes: [UInt16] = []
    private var hypothesisResidual: [S] = [], nextResidual: [S] = []
    private var hypothesisLoss: [Double] = [], nextLoss: [Double] = []
    /// `[rows, g]` projections, `[K, g]` codebook·Σ_JJ, `[K]` quadratic terms, `[rows, K]` scores, `[g, g]` Σ_JJ.
    private var projection: [S], weighted: [S], quadratic: [S], scores: [S], block: [S]
    /// One scored move: hypothesis `hypothesis` with the slot set to `code`, and the row loss it gives.
    private typealias Candidate = (loss: Double, hypothesis: Int, code: Int)
    /// Every row's best candidates of the current step, sorted by loss.
    private var winners: [[Candidate]] = []

    init(state: AQLMState<S>, beam: Int) {
        self.state = state
        self.beam = beam
        let g = state.groupSize, k = state.codebookSize
        projection = [S](repeating: 0, count: state.rows * g)
        weighted = [S](repeating: 0, count: k * g)
        quadratic = [S](repeating: 0, count: k)
        scores = [S](repeating: 0, count: state.rows * k)
        block = [S](repeating: 0, count: g * g)
        if beam > 1 {
            let slots = state.rows * state.groups * state.codebookCount
            hypothesisCodes = [UInt16](repeating: 0, count: beam * slots)
            nextCodes = hypothesisCodes
            hypothesisResidual = [S](repeating: 0, count: beam * state.rows * state.cols)
            nextResidual = hypothesisResidual
            hypothesisLoss = [Double](repeating: 0, count: beam * state.rows)
            nextLoss = hypothesisLoss
            winners = (0..<state.rows).map { _ in var w = [Candidate](); w.reserveCapacity(beam); return w }
        }
    }

    /// One pass over every slot; returns the number of slots whose code changed, or nil when cancelled
    /// (the state then holds the codes found so far, consistent with its residual).
    @_specialize(where S == Float)
    func run(rng: inout SeededGenerator, isCancelled: () -> Bool) -> Int? {
        var groupOrder = Array(0..<state.groups)
        groupOrder.shuffle(using: &rng)
        var codebookOrder = Array(0..<state.codebookCount)
        return beam == 1 ? greedy(groupOrder, &codebookOrder, &rng, isCancelled)
                         : beamSearch(groupOrder, &codebookOrder, &rng, isCancelled)
    }

    /// Σ_JJ, `C_m Σ_JJ` and the quadratic terms `C_m[c]ᵀ Σ_JJ C_m[c]` of codebook m at group j.
    private func prepare(group j: Int, codebook m: Int) {
        let g = state.groupSize, k = state.codebookSize, p = state.cols, j0 = j * g
        for a in 0..<g { for b in 0..<g { block[a * g + b] = state.hessian[(j0 + a) * p + j0 + b] } }
        state.codebooks.withUnsafeBufferPointer { cb in
            block.withUnsafeBufferPointer { bl in
                weighted.withUnsafeMutableBufferPointer { w in
                    S.gemm(transA: false, transB: false, m: k, n: g, k: g, alpha: 1, a: cb.baseAddress! + m * k * g, lda: g,
                           b: bl.baseAddress!, ldb: g, beta: 0, c: w.baseAddress!, ldc: g)
                    for c in 0..<k {
                        var q: S = 0
                        for a in 0..<g { q += w[c * g + a] * cb[(m * k + c) * g + a] }
                        quadratic[c] = q
                    }
                }
            }
        }
    }

    /// `projection = R Σ[:, J]` plus `s_o Σ_JJ C_m[c_old]`, then `scores = projection · C_mᵀ`.
    private func score(residual: UnsafePointer<S>, codes: UnsafePointer<UInt16>, group j: Int, codebook m: Int) {
        let g = state.groupSize, k = state.codebookSize, p = state.cols, rows = state.rows
        let slotsPerRow = state.groups * state.codebookCount
        state.hessian.withUnsafeBufferPointer { h in
            projection.withUnsafeMutableBufferPointer { r in
                // Σ is symmetric, so Σ[:, J] = Σ[J, :]ᵀ.
                S.gemm(transA: false, transB: true, m: rows, n: g, k: p, alpha: 1, a: residual, lda: p,
                       b: h.baseAddress! + j * g * p, ldb: p, beta: 0, c: r.baseAddress!, ldc: g)
                for o in 0..<rows {
                    let old = Int(codes[o * slotsPerRow + j * state.codebookCount + m])
                    let s = state.scales[o]
                    for a in 0..<g { r[o * g + a] += s * weighted[old * g + a] }
                }
            }
        }
        state.codebooks.withUnsafeBufferPointer { cb in
            projection.withUnsafeBufferPointer { r in
                scores.withUnsafeMutableBufferPointer { sc in
                    S.gemm(transA: false, transB: true, m: rows, n: k, k: g, alpha: 1, a: r.baseAddress!, lda: g,
                           b: cb.baseAddress! + m * k * g, ldb: g, beta: 0, c: sc.baseAddress!, ldc: k)
                }
            }
        }
    }

    /// Moves slot (o, j, m) of one residual row from `old` to `new`: `R_o[J] += s_o (C_m[old] − C_m[new])`.
    private func shift(_ row: UnsafeMutablePointer<S>, group j: Int, codebook m: Int, from old: Int, to new: Int, scale s: S) {
        let g = state.groupSize, base = m * state.codebookSize
        for a in 0..<g {
            row[j * g + a] += s * (state.codebooks[(base + old) * g + a] - state.codebooks[(base + new) * g + a])
        }
    }

    private func greedy(_ groupOrder: [Int], _ codebookOrder: inout [Int], _ rng: inout SeededGenerator,
                        _ isCancelled: () -> Bool) -> Int? {
        let k = state.codebookSize, mc = state.codebookCount, p = state.cols
        let slotsPerRow = state.groups * mc
        var changed = 0
        for j in groupOrder {
            if isCancelled() { return nil }
            codebookOrder.shuffle(using: &rng)
            for m in codebookOrder {
                prepare(group: j, codebook: m)
                state.residual.withUnsafeMutableBufferPointer { res in
                    state.codes.withUnsafeMutableBufferPointer { cd in
                        score(residual: res.baseAddress!, codes: cd.baseAddress!, group: j, codebook: m)
                        scores.withUnsafeBufferPointer { sc in
                            quadratic.withUnsafeBufferPointer { q in
                                for o in 0..<state.rows {
                                    let slot = o * slotsPerRow + j * mc + m
                                    let old = Int(cd[slot])
                                    let s = state.scales[o]
                                    let row = sc.baseAddress! + o * k
                                    var best = old
                                    var bestValue = s * (s * q[old] - 2 * row[old])
                                    for c in 0..<k {
                                        let v = s * (s * q[c] - 2 * row[c])
                                        if v < bestValue { bestValue = v; best = c }
                                    }
                                    if best != old {
                                        cd[slot] = UInt16(best)
                                        shift(res.baseAddress! + o * p, group: j, codebook: m, from: old, to: best, scale: s)
                                        changed += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return changed
    }

    private func beamSearch(_ groupOrder: [Int], _ codebookOrder: inout [Int], _ rng: inout SeededGenerator,
                            _ isCancelled: () -> Bool) -> Int? {
        let rows = state.rows, p = state.cols, k = state.codebookSize, mc = state.codebookCount
        let slotsPerRow = state.groups * mc, slots = rows * slotsPerRow
        let start = state.codes
        // One hypothesis per row to begin with: the current codes, with their exact per-row losses.
        for i in 0..<slots { hypothesisCodes[i] = start[i] }
        for i in 0..<(rows * p) { hypothesisResidual[i] = state.residual[i] }
        let rh = Matrix(rows: rows, cols: p, storage: state.residual.map { Double($0) }).matmul(state.hessianDouble)
        for o in 0..<rows {
            var l = 0.0
            for c in 0..<p { l += rh.storage[o * p + c] * Double(state.residual[o * p + c]) }
            hypothesisLoss[o] = l
        }
        var alive = 1
        var cancelled = false
        search: for j in groupOrder {
            if isCancelled() { cancelled = true; break search }
            codebookOrder.shuffle(using: &rng)
            for m in codebookOrder {
                prepare(group: j, codebook: m)
                let kept = min(beam, alive * k)
                for o in 0..<rows { winners[o].removeAll(keepingCapacity: true) }
                for h in 0..<alive {
                    hypothesisResidual.withUnsafeBufferPointer { res in
                        hypothesisCodes.withUnsafeBufferPointer { cd in
                            score(residual: res.baseAddress! + h * rows * p, codes: cd.baseAddress! + h * slots, group: j, codebook: m)
                        }
                    }
                    for o in 0..<rows {
                        let old = Int(hypothesisCodes[h * slots + o * slotsPerRow + j * mc + m])
                        let s = state.scales[o]
                        let base = hypothesisLoss[h * rows + o] - Double(s * (s * quadratic[old] - 2 * scores[o * k + old]))
                        for c in 0..<k {
                            let v = base + Double(s * (s * quadratic[c] - 2 * scores[o * k + c]))
                            offer((v, h, c), row: o, kept: kept)
                        }
                    }
                }
                // Build the next hypotheses from the winners.
                for o in 0..<rows {
                    for (rank, pick) in winners[o].enumerated() {
                        let src = pick.hypothesis, dst = rank
                        let srcSlots = src * slots + o * slotsPerRow, dstSlots = dst * slots + o * slotsPerRow
                        for t in 0..<slotsPerRow { nextCodes[dstSlots + t] = hypothesisCodes[srcSlots + t] }
                        let slot = j * mc + m
                        let old = Int(nextCodes[dstSlots + slot])
                        nextCodes[dstSlots + slot] = UInt16(pick.code)
                        nextResidual.withUnsafeMutableBufferPointer { nr in
                            let row = nr.baseAddress! + (dst * rows + o) * p
                            for c in 0..<p { row[c] = hypothesisResidual[(src * rows + o) * p + c] }
                            shift(row, group: j, codebook: m, from: old, to: pick.code, scale: state.scales[o])
                        }
                        nextLoss[dst * rows + o] = pick.loss
                    }
                }
                swap(&hypothesisCodes, &nextCodes)
                swap(&hypothesisResidual, &nextResidual)
                swap(&hypothesisLoss, &nextLoss)
                alive = kept
            }
        }
        // Hypothesis 0 of every row is its best (winners are sorted by loss).
        for i in 0..<slots { state.codes[i] = hypothesisCodes[i] }
        for i in 0..<(rows * p) { state.residual[i] = hypothesisResidual[i] }
        if cancelled { return nil }
        return zip(start, state.codes).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
    }

    /// Puts a candidate into row o's sorted top-`kept` list if it belongs there.
    private func offer(_ candidate: Candidate, row o: Int, kept: Int) {
        if winners[o].count == kept {
            guard candidate.loss < winners[o][kept - 1].loss else { return }
            winners[o].removeLast()
        }
        var i = winners[o].count
        while i > 0 && winners[o][i - 1].loss > candidate.loss { i -= 1 }
        winners[o].insert(candidate, at: i)
    }
}
