/// AQLM, the layer-wise algorithm as the reference (`Vahe1994/AQLM`, `AQEngine.quantize`) runs it:
/// per-row scales `‖W_o‖₂`, residual k-means on `W/s`, then epochs of codebook and scale updates (Adam,
/// or the closed-form option) followed by a beam search over the codes in the Σ metric. An epoch starts
/// with the early-stop check `L / best_L > 1 − tol`, so a finished layer ends on a code search.
///
/// Progress is one report per epoch; on cancellation the best epoch-end iterate so far is returned.
public enum AQLM {
    public static func solve<S: BLASScalar>(_ problem: LayerProblem<S>, options: AQLMOptions,
                                            control: SolverControl = .silent) throws -> SolveResult<S> {
        try options.check(columns: problem.inFeatures)
        let clock = Stopwatch()
        var rng = SeededGenerator(seed: options.seed)
        var notes: [String] = []
        let dead = problem.deadColumns.count
        if dead > 0 { notes.append("\(dead) dead input column(s) (Σ_jj = 0) do not affect the codes of their groups") }

        let state = AQLMState(problem: problem, options: options)
        state.initialize(options: options, rng: &rng, isCancelled: control.isCancelled)
        let denominator = Objective.quadraticTrace(problem.weights.converted(to: Double.self), problem.hessian)
        let search = CodeSearch(state: state, beam: options.beamSize)
        let refit = CodebookRefit(state: state, learningRate: options.learningRate)

        var loss = state.quadraticLoss()
        var best = (loss: loss, layer: state.layer)
        var bestStartLoss = Double.infinity
        var history: [SolverProgress] = []
        var cancelled = false
        for epoch in 0..<options.maxEpochs {
            if control.isCancelled() { cancelled = true; break }
            if let tol = options.relativeTolerance {
                if loss / bestStartLoss > 1 - tol {
                    notes.append("stopped after \(epoch) epochs: the loss fell by less than \(tol * 100)% in an epoch")
                    break
                }
                bestStartLoss = min(bestStartLoss, loss)
            }
            switch options.codebookUpdate {
            case .adam:
                if !refit.adam(steps: options.stepsPerEpoch, isCancelled: control.isCancelled) { cancelled = true }
            case .leastSquares:
                if let note = refit.leastSquares(), !notes.contains(note) { notes.append(note) }
            }
            if cancelled { break }
            let changed = search.run(rng: &rng, isCancelled: control.isCancelled)
            loss = state.quadraticLoss()
            if loss <= best.loss { best = (loss, state.layer) }
            guard let changed else { cancelled = true; break }
            let step = SolverProgress(step: epoch + 1, totalSteps: options.maxEpochs,
                                      relativeError: denominator > 0 ? loss / denominator : 0, codesChanged: changed,
                                      outliers: 0, onGrid: true, elapsed: clock.seconds, codebooks: state.layer.usage())
            history.append(step)
            control.report(step)
        }
        var result = state.layer
        if cancelled {
            let current = state.quadraticLoss()
            if best.loss < current { result = best.layer }
            notes.append("cancelled after \(history.count) of \(options.maxEpochs) epochs; kept the best iterate")
        }
        return SolveResult(layer: QuantizedLayer(codebooks: result), history: history, cancelled: cancelled,
                           notes: notes, seconds: clock.seconds)
    }
}
