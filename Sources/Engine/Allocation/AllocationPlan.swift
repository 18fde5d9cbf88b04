import Foundation
import QuantCore

/// What the allocator measured and chose: per layer, each candidate's stored bits and rel_err (its error
/// curve), the layer's sensitivity and choice; and the predicted end-to-end damage of the plan.
public struct AllocationPlan: Sendable, Equatable, Codable {
    /// What the predicted damage is in.
    public enum Metric: String, Sendable, Codable {
        /// 1 − embedding cosine (encoders).
        case embeddingCosine = "1 - embedding cosine"
        /// The rise in mean negative log-likelihood per token (causal LMs): perplexity × e^damage.
        case negativeLogLikelihood = "mean NLL rise"
    }

    /// One candidate's measurement on one layer.
    public struct Point: Sendable, Equatable, Codable {
        public var bitsPerWeight: Double
        public var relativeError: Double

        public init(bitsPerWeight: Double, relativeError: Double) {
            (self.bitsPerWeight, self.relativeError) = (bitsPerWeight, relativeError)
        }
    }

    /// One layer.
    public struct Layer: Sendable, Equatable, Codable {
        public var name: String
        public var weights: Int
        /// One point per candidate, in the candidates' order.
        public var points: [Point]
        /// The end-to-end damage with this layer alone quantized at its cheapest candidate.
        public var endToEndDamage: Double
        /// Predicted damage per unit of rel_err.
        public var sensitivity: Double
        /// The candidate chosen (an index into `candidates`).
        public var choice: Int = 0

        public init(name: String, weights: Int, points: [Point], endToEndDamage: Double, sensitivity: Double) {
            (self.name, self.weights, self.points, self.endToEndDamage, self.sensitivity) = (name, weights, points, endToEndDamage, sensitivity)
        }

        /// The predicted damage of candidate `c`.
        public func damage(_ c: Int) -> Double { sensitivity * points[c].relativeError }
    }

    public var layers: [Layer]
    public var budget: Double
    public var candidates: [LayerMethod]
    public var metric: Metric
    /// The plan's mean bits per weight and summed predicted damage.
    public var bitsPerWeight: Double = 0
    public var predictedDamage: Double = 0

    /// Solves `layers` under `budget`.
    public init(layers: [Layer], budget: Double, candidates: [LayerMethod], metric: Metric) throws {
        (self.layers, self.budget, self.candidates, self.metric) = (layers, budget, candidates, metric)
        try choose(budget: budget)
    }

    /// Chooses again for another budget, on the same measurements (the workbench's budget control).
    public mutating func choose(budget: Double) throws {
        let plan = try BitAllocation.solve(layers: layers.map { l in
            BitAllocation.Layer(weights: l.weights, bits: l.points.map(\.bitsPerWeight), damage: l.points.indices.map(l.damage))
        }, budget: budget)
        self.budget = budget
        for i in layers.indices { layers[i].choice = plan.choices[i] }
        bitsPerWeight = plan.bitsPerWeight
        predictedDamage = plan.damage
    }

    /// The recipe's budget when the plan follows another (re-allocated after the run began, in the workbench),
    /// else nil.
    public func differingBudget(of recipe: Recipe) -> Double? {
        recipe.allocation.map(\.budget).flatMap { $0 == budget ? nil : $0 }
    }

    /// The method each layer is solved with.
    public var methods: [String: LayerMethod] {
        Dictionary(uniqueKeysWithValues: layers.map { ($0.name, candidates[$0.choice]) })
    }

    /// The plan's predicted end-to-end value: the embedding cosine, or the perplexity given the full-precision one.
    public func predictedMetric(fullPrecisionPerplexity: Double? = nil) -> Double? {
        switch metric {
        case .embeddingCosine: 1 - predictedDamage
        case .negativeLogLikelihood: fullPrecisionPerplexity.map { $0 * exp(predictedDamage) }
        }
    }

    /// `3.245 bits/weight for a budget of 3.25: 12 × GPTQ 4-bit, … · predicted embedding cosine 0.97214`.
    public var summary: String {
        let counts = Dictionary(grouping: layers, by: \.choice).sorted { $0.key < $1.key }
            .map { "\($0.value.count) × \(candidates[$0.key].summary)" }
        return String(format: "%.3f bits/weight for a budget of %g: ", bitsPerWeight, budget) + counts.joined(separator: ", ")
            + " · predicted " + predictedText()
    }

    /// `embedding cosine 0.97214`, `mean NLL rise 0.1914 (perplexity × 1.2110)`: what the plan is predicted to do.
    public func predictedText(times: String = "×") -> String {
        predictedMetric().map { String(format: "embedding cosine %.5f", $0) }
            ?? String(format: "mean NLL rise %.4f (perplexity \(times) %.4f)", predictedDamage, exp(predictedDamage))
    }

    /// Mean bits per weight of every layer at one candidate: the uniform configuration to compare with.
    public func uniformBits(_ candidate: Int) -> Double {
        meanBits { $0.points[candidate].bitsPerWeight }
    }

    /// The predicted damage of every layer at one candidate.
    public func uniformDamage(_ candidate: Int) -> Double {
        layers.reduce(0) { $0 + $1.damage(candidate) }
    }

    /// The budgets a plan can be chosen for: from every layer at its cheapest candidate to every layer at its dearest.
    public var feasibleBudgets: ClosedRange<Double> {
        meanBits { $0.points.map(\.bitsPerWeight).min() ?? 0 }...meanBits { $0.points.map(\.bitsPerWeight).max() ?? 0 }
    }

    /// The same layers measured the same way (only the budget and the choices may differ).
    public func sameMeasurements(as other: AllocationPlan) -> Bool {
        candidates == other.candidates && metric == other.metric && layers.count == other.layers.count
            && zip(layers, other.layers).allSatisfy { $0.name == $1.name && $0.weights == $1.weights && $0.points == $1.points && $0.sensitivity == $1.sensitivity }
    }

    private func meanBits(_ bits: (Layer) -> Double) -> Double {
        let total = Double(layers.reduce(0) { $0 + $1.weights })
        return layers.reduce(0) { $0 + Double($1.weights) * bits($1) } / max(total, 1)
    }
}
