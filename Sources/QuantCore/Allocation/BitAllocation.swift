/// Chooses one configuration per layer under a bits-per-weight budget: minimise the predicted damage
/// `Σ_ℓ damage[ℓ][c_ℓ]` subject to `Σ_ℓ weights_ℓ · bits[ℓ][c_ℓ] ≤ budget · Σ_ℓ weights_ℓ`, a multiple-choice
/// knapsack. It is solved exactly by dynamic programming over the budget left above every layer's cheapest
/// candidate, in `steps` equal parts; each candidate's cost is rounded up to whole parts, so the plan always fits
/// and is at most one part's worth of bits from the best plan.
///
/// ```swift
/// let plan = try BitAllocation.solve(layers: curves, budget: 3.25)
/// plan.choices        // one candidate index per layer
/// ```
public enum BitAllocation {
    /// One layer's options: the cost and predicted damage of each candidate configuration.
    public struct Layer: Sendable, Equatable, Codable {
        /// Weights of the layer (its parameter count), the weight of its bits in the mean.
        public var weights: Int
        /// Bits per weight each candidate stores (codes, grids, outliers).
        public var bits: [Double]
        /// The predicted end-to-end damage of each candidate.
        public var damage: [Double]

        public init(weights: Int, bits: [Double], damage: [Double]) {
            precondition(bits.count == damage.count && !bits.isEmpty, "one bits and one damage value per candidate")
            (self.weights, self.bits, self.damage) = (weights, bits, damage)
        }
    }

    /// The chosen candidate of each layer, with what it costs and is predicted to do.
    public struct Plan: Sendable, Equatable, Codable {
        public var choices: [Int]
        /// The weighted mean bits per weight of the choices.
        public var bitsPerWeight: Double
        /// `Σ damage` of the choices.
        public var damage: Double
    }

    /// The budget is below what the cheapest candidate of every layer stores.
    public struct Infeasible: Error, Equatable, Sendable, CustomStringConvertible {
        public let budget: Double, minimum: Double
        public var description: String {
            "a budget of \(budget) bits/weight is below the cheapest candidates' \(minimum) bits/weight"
        }
    }

    public static func solve(layers: [Layer], budget: Double, steps: Int = 4096) throws -> Plan {
        let total = Double(layers.reduce(0) { $0 + $1.weights })
        let cheapest = layers.map { l in l.bits.indices.min { l.bits[$0] != l.bits[$1] ? l.bits[$0] < l.bits[$1] : l.damage[$0] < l.damage[$1] }! }
        let floor = zip(layers, cheapest).reduce(0) { $0 + Double($1.0.weights) * $1.0.bits[$1.1] }
        let slack = budget * total - floor
        guard slack >= -1e-9 * max(floor, 1) else { throw Infeasible(budget: budget, minimum: floor / max(total, 1)) }
        // A budget the least-damage choice of every layer fits in needs no search (and the rounding of costs
        // below could keep the dearest candidates out of a budget that exactly covers them).
        let leastDamage = layers.map { l in l.damage.indices.min { l.damage[$0] != l.damage[$1] ? l.damage[$0] < l.damage[$1] : l.bits[$0] < l.bits[$1] }! }
        if zip(layers, leastDamage).reduce(0, { $0 + Double($1.0.weights) * $1.0.bits[$1.1] }) <= budget * total * (1 + 1e-12) {
            return plan(layers, leastDamage, total: total)
        }
        let unit = max(slack, 0) / Double(steps)
        // best[j]: the least damage of the layers so far using at most j parts; choice[ℓ][j] the candidate taken.
        var best = [Double](repeating: 0, count: steps + 1)
        var choice = [[Int16]](repeating: [Int16](repeating: -1, count: steps + 1), count: layers.count)
        for (i, l) in layers.enumerated() {
            let parts = l.bits.indices.map { c -> Int in
                let extra = Double(l.weights) * (l.bits[c] - l.bits[cheapest[i]])
                if extra <= 0 { return 0 }
                return unit > 0 ? Int((extra / unit).rounded(.up)) : steps + 1
            }
            var next = [Double](repeating: .infinity, count: steps + 1)
            for j in 0...steps {
                for c in l.bits.indices where parts[c] <= j {
                    let d = best[j - parts[c]] + l.damage[c]
                    if d < next[j] { next[j] = d; choice[i][j] = Int16(c) }
                }
            }
            best = next
        }
        var choices = [Int](repeating: 0, count: layers.count), j = steps
        for i in layers.indices.reversed() {
            let c = Int(choice[i][j])
            choices[i] = c
            let extra = Double(layers[i].weights) * (layers[i].bits[c] - layers[i].bits[cheapest[i]])
            j -= extra <= 0 ? 0 : Int((extra / unit).rounded(.up))
        }
        return plan(layers, choices, total: total)
    }

    private static func plan(_ layers: [Layer], _ choices: [Int], total: Double) -> Plan {
        let cost = zip(layers, choices).reduce(0) { $0 + Double($1.0.weights) * $1.0.bits[$1.1] }
        return Plan(choices: choices, bitsPerWeight: cost / max(total, 1), damage: zip(layers, choices).reduce(0) { $0 + $1.0.damage[$1.1] })
    }
}
