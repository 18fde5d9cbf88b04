import QuantCore

/// The solver reports of a layer's latest comparison solve with one method (QuantEase sweeps, AQLM
/// epochs), so a chart can draw its curve beside the layer's own; its result is in `comparisons` once done.
public struct ComparisonCurve: Sendable, Equatable {
    public var method: LayerMethod
    public var sweeps: [SolverProgress]

    public init(method: LayerMethod, sweeps: [SolverProgress] = []) {
        self.method = method
        self.sweeps = sweeps
    }
}

extension RunState.LayerRow {
    /// A comparison's report: a step that does not follow the curve's last one starts the method's curve anew.
    mutating func addComparisonSweep(_ progress: SolverProgress, of method: LayerMethod) {
        guard let i = comparisonCurves.firstIndex(where: { $0.method == method }) else {
            comparisonCurves.append(ComparisonCurve(method: method, sweeps: [progress]))
            return
        }
        if let last = comparisonCurves[i].sweeps.last, progress.step <= last.step { comparisonCurves[i].sweeps = [] }
        comparisonCurves[i].sweeps.append(progress)
    }

    /// The latest curve of a comparison method, if it reported any step.
    public func comparisonCurve(of method: LayerMethod) -> ComparisonCurve? { comparisonCurves.last { $0.method == method } }
}
