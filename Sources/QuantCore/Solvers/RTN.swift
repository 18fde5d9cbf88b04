/// Round-to-nearest: every weight to the nearest point of its row's (group's) min-max grid.
/// Groups are fitted per group (the upstream `rtn.py` bug of reusing the last group's grid is not copied).
public enum RTN {
    public static func solve<S: BLASScalar>(_ problem: LayerProblem<S>, grid options: GridOptions,
                                            control: SolverControl = .silent) -> SolveResult<S> {
        let clock = Stopwatch()
        let q = problem.outFeatures, p = problem.inFeatures
        let layout = WorkingLayout<S>(rows: q, cols: p, order: Array(0..<p))
        var wt = layout.gather(problem.weights)
        let table = GridTable.fitted(wt, layout: layout, options: options)
        var codes = [UInt8](repeating: 0, count: q * p)
        wt.withUnsafeMutableBufferPointer { w in
            codes.withUnsafeMutableBufferPointer { cd in
                for c in 0..<p { _ = table.quantize(w.baseAddress! + c * q, column: c, codes: cd.baseAddress! + c * q) }
            }
        }
        var objective = PartialObjective(weightsT: layout.gather(problem.weights), sigma: problem.hessian, rows: q,
                                         denominator: PartialObjective.weightTrace(problem.weights, sigma: problem.hessian))
        let err = objective.add(columns: 0..<p, quantizedT: wt)
        let layer = QuantizedLayer(layout: layout, codesT: codes, table: table, bits: options.bits)
        let step = SolverProgress(step: 1, totalSteps: 1, relativeError: err, codesChanged: q * p, outliers: 0,
                                  onGrid: true, elapsed: clock.seconds)
        control.report(step)
        return SolveResult(layer: layer, history: [step], cancelled: false, notes: [], seconds: clock.seconds)
    }
}
