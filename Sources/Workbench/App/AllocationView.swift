import Foundation
import Engine
import QuantCore

/// The bit allocation view's state (`a`): the budget being tried and the plan the run's measurements give
/// for it, chosen here without the job (the measurements are the run's, `RunState.allocation`, and so is the
/// plan in effect), and the predicted damage over the feasible budgets, computed once per measurement.
public struct AllocationView: Sendable, Equatable {
    /// One point of the predicted-damage curve.
    public struct Point: Sendable, Equatable {
        public var budget: Double
        public var bitsPerWeight: Double
        public var damage: Double
    }

    /// How far one key press moves the budget, in bits/weight.
    public static let step = 0.125
    /// The curve's points at most (their spacing is a multiple of `step`).
    static let curvePoints = 33

    /// The plan for the budget being tried; nil before the run's first allocation.
    public private(set) var plan: AllocationPlan? = nil
    /// The predicted damage of the plan at budgets over `plan.feasibleBudgets`, in budget order.
    public private(set) var curve: [Point] = []

    public init() {}

    /// Takes the plan the job allocated (at the start, or after a new budget was applied); the curve is made
    /// again only when the measurements changed.
    mutating func observe(_ allocated: AllocationPlan) {
        let remeasured = plan.map { !$0.sameMeasurements(as: allocated) } ?? true
        plan = allocated
        if remeasured { curve = Self.curve(allocated) }
    }

    /// Moves the budget by `steps` steps, snapped to the step grid and kept within the feasible budgets;
    /// what the status bar says when it cannot move.
    mutating func stepBudget(_ steps: Int) -> String? {
        guard var p = plan else { return nil }
        let range = p.feasibleBudgets
        let snapped = ((p.budget / Self.step).rounded() + Double(steps)) * Self.step
        let budget = min(range.upperBound, max(range.lowerBound, snapped))
        guard budget != p.budget else {
            return "the budget is at its " + (steps < 0 ? "least" : "most") + ": every layer at its " + (steps < 0 ? "cheapest" : "dearest") + " candidate"
        }
        do { try p.choose(budget: budget) } catch { return "cannot plan for \(Self.budgetText(budget)) bits/w: \(error)" }
        plan = p
        return nil
    }

    /// The curve point nearest the budget being tried, 1-based (the chart's cursor).
    var cursor: Int? {
        guard let budget = plan?.budget, !curve.isEmpty else { return nil }
        return curve.indices.min { abs(curve[$0].budget - budget) < abs(curve[$1].budget - budget) }.map { $0 + 1 }
    }

    /// The solved layers the plan tried chooses differently for than they were solved with: their rows and the
    /// method the plan gives each.
    func offPlan(_ run: RunState) -> [(row: Int, method: LayerMethod)] { Self.offPlan(plan, run) }

    /// The solved layers `plan` chooses differently for than they were solved with (the plan tried, or the one
    /// the run follows).
    static func offPlan(_ plan: AllocationPlan?, _ run: RunState) -> [(row: Int, method: LayerMethod)] {
        guard let methods = plan?.methods else { return [] }
        return run.layers.indices.compactMap { i in
            let row = run.layers[i]
            guard row.phase == .done, let chosen = methods[row.info.name], row.method != chosen else { return nil }
            return (i, chosen)
        }
    }

    /// The layers the run has not reached: they take whatever plan is applied when it does.
    static func layersToCome(_ run: RunState) -> Int { run.layers.filter { $0.phase == .pending }.count }

    /// `3.25`, `3.125`: a budget as the view writes it.
    static func budgetText(_ budget: Double) -> String { String(format: "%g", budget) }

    /// The candidates as the plan column writes them: without the method's name when every candidate shares it
    /// (`3-bit g128`), else the headline (`GPTQ 3-bit g128`).
    static func shortLabels(_ candidates: [LayerMethod]) -> [String] {
        let names = Set(candidates.map(\.methodName))
        return candidates.map { c in
            let headline = c.headline
            guard names.count == 1, let space = headline.firstIndex(of: " ") else { return headline }
            return String(headline[headline.index(after: space)...])
        }
    }

    /// The plan at the feasible range's ends and at budgets a multiple of `step` apart between them.
    private static func curve(_ plan: AllocationPlan) -> [Point] {
        let range = plan.feasibleBudgets
        let steps = Int(((range.upperBound - range.lowerBound) / step).rounded(.up))
        let spacing = step * Double(max(1, Int((Double(steps) / Double(curvePoints - 1)).rounded(.up))))
        var budgets = [range.lowerBound]
        var b = ((range.lowerBound / spacing).rounded(.down) + 1) * spacing
        while b < range.upperBound - 1e-9 {
            budgets.append(b)
            b += spacing
        }
        if range.upperBound > range.lowerBound { budgets.append(range.upperBound) }
        return budgets.compactMap { budget in
            var p = plan
            guard (try? p.choose(budget: budget)) != nil else { return nil }
            return Point(budget: budget, bitsPerWeight: p.bitsPerWeight, damage: p.predictedDamage)
        }
    }
}
